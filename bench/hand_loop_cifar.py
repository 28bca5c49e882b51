"""The hand-written PyTorch loop that an emitted resnet18/cifar10 project is measured against.

The same work as `python train.py` there: the same CIFAR files, split, CIFAR-stem ResNet-18,
SGD (nesterov) + warm-up-then-cosine per step, crop/flip/normalise on the device, the same
autocast precision, validation after every epoch, a test at the end; no Lightning, no logs,
no checkpoints. The whole dataset sits on the device as uint8 (the fast path a careful
hand-writer takes). Usage:
python hand_loop_cifar.py DATA_ROOT EPOCHS [--batch 128] [--channels-last]  (prints JSON)
"""

import argparse
import json
import math
import pickle
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
import torchvision
from torch import nn

MEAN, STD = (0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616)


def read(folder: Path, names: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
    batches = [pickle.loads((folder / n).read_bytes(), encoding="bytes") for n in names]
    images = np.concatenate([b[b"data"] for b in batches]).reshape(-1, 3, 32, 32)
    labels = np.concatenate([b[b"labels"] for b in batches]).astype(np.int64)
    return torch.from_numpy(images), torch.from_numpy(labels)


def resnet18() -> nn.Module:
    model = torchvision.models.resnet18(num_classes=10)
    model.conv1 = nn.Conv2d(3, 64, 3, 1, 1, bias=False)
    model.maxpool = nn.Identity()
    return model


def augment(x: torch.Tensor) -> torch.Tensor:
    n = x.shape[0]
    padded = F.pad(x, [4] * 4, mode="reflect")
    dy, dx = torch.randint(0, 9, (2, n), device=x.device)
    rows = torch.arange(32, device=x.device) + dy[:, None]  # (n, 32)
    cols = torch.arange(32, device=x.device) + dx[:, None]
    x = padded[
        torch.arange(n, device=x.device)[:, None, None],
        :,
        rows[:, :, None],
        cols[:, None, :],
    ]
    x = x.permute(0, 3, 1, 2)
    flip = torch.rand(n, 1, 1, 1, device=x.device) < 0.5
    return torch.where(flip, x.flip(3), x)


def main() -> None:
    options = argparse.ArgumentParser()
    options.add_argument("root", type=Path)
    options.add_argument("epochs", type=int)
    options.add_argument("--batch", type=int, default=128)
    options.add_argument("--channels-last", action="store_true")
    args = options.parse_args()
    started = time.perf_counter()
    torch.manual_seed(42)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    gpu = device.type == "cuda"
    dtype = torch.bfloat16 if gpu and torch.cuda.is_bf16_supported() else torch.float16
    folder = args.root / "cifar-10-batches-py"
    train_x, train_y = read(folder, [f"data_batch_{i}" for i in range(1, 6)])
    test_x, test_y = read(folder, ["test_batch"])
    order = np.random.default_rng(0).permutation(len(train_y))  # the emitted split
    n_val = round(len(train_y) * 0.1)
    val, train = np.sort(order[:n_val]), np.sort(order[n_val:])
    mean = torch.tensor(MEAN, device=device).view(1, 3, 1, 1)
    std = torch.tensor(STD, device=device).view(1, 3, 1, 1)
    memory = torch.channels_last if args.channels_last else torch.contiguous_format
    on_device = {
        "train": (train_x[train].to(device), train_y[train].to(device)),
        "val": (train_x[val].to(device), train_y[val].to(device)),
        "test": (test_x.to(device), test_y.to(device)),
    }
    model = resnet18().to(device, memory_format=memory)
    optimizer = torch.optim.SGD(
        model.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=5e-4
    )
    per_epoch = math.ceil(len(train) / args.batch)
    total, warmup = args.epochs * per_epoch, per_epoch
    schedule = torch.optim.lr_scheduler.SequentialLR(
        optimizer,
        [
            torch.optim.lr_scheduler.LinearLR(optimizer, 0.01, total_iters=warmup),
            torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, total - warmup),
        ],
        milestones=[warmup],
    )

    def batches(split: str, train_mode: bool):
        images, labels = on_device[split]
        n = len(labels)
        order = (
            torch.randperm(n, device=device)
            if train_mode
            else torch.arange(n, device=device)
        )
        for start in range(0, n, args.batch):
            index = order[start : start + args.batch]
            x = (images[index].float() / 255 - mean) / std
            x = augment(x) if train_mode else x
            yield x.contiguous(memory_format=memory), labels[index]

    @torch.no_grad()
    def accuracy(split: str) -> float:
        model.eval()
        correct = torch.zeros((), device=device)
        with torch.autocast(device.type, dtype, enabled=gpu):
            for x, y in batches(split, False):
                correct += (model(x).argmax(1) == y).sum()
        model.train()
        return correct.item() / len(on_device[split][1])

    epochs = []
    for _ in range(args.epochs):
        epoch_started = time.perf_counter()
        for x, y in batches("train", True):
            with torch.autocast(device.type, dtype, enabled=gpu):
                loss = F.cross_entropy(model(x), y)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            schedule.step()
        val_acc = accuracy("val")  # .item() waits for the device
        epochs.append(time.perf_counter() - epoch_started)
    test_acc = accuracy("test")
    print(
        json.dumps(
            {
                "epoch_s": epochs,
                "script_s": time.perf_counter() - started,
                "val_acc": val_acc,
                "test_acc": test_acc,
            }
        )
    )


if __name__ == "__main__":
    main()
