"""The hand-written PyTorch loop that an emitted lenet/mnist project is measured against.

It does the same work as `python train.py` there: the same files read into memory, the
same split, LeNet, AdamW + one-cycle per step, batch 32 (the catalog's mnist recipe),
validation after every epoch and a test at the end; no Lightning, no logging, no
checkpoints.
Usage: python hand_loop.py DATA_ROOT EPOCHS  (prints JSON: seconds and test accuracy)
"""

import gzip
import json
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

BATCH, LR, WEIGHT_DECAY, MEAN, STD = 32, 3e-3, 0.05, 0.1307, 0.3081


def read_idx(path: Path) -> np.ndarray:
    data = gzip.decompress(path.read_bytes())
    dims = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(data[3])]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * data[3]).reshape(dims)


def lenet() -> nn.Module:
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(16 * 7 * 7, 120), nn.ReLU(),
        nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
    )  # fmt: skip


def batches(images, labels, shuffle: bool):
    order = torch.randperm(len(labels)) if shuffle else torch.arange(len(labels))
    for start in range(0, len(labels), BATCH):
        index = order[start : start + BATCH]
        yield (images[index].float() / 255 - MEAN) / STD, labels[index]


@torch.no_grad()
def evaluate(model, images, labels) -> float:
    model.eval()
    correct = sum(
        (model(x).argmax(1) == y).sum().item()
        for x, y in batches(images, labels, False)
    )
    model.train()
    return correct / len(labels)


def main(root: Path, epochs: int) -> None:
    started = time.perf_counter()
    torch.manual_seed(42)
    raw = root / "MNIST" / "raw"
    train_x = torch.from_numpy(
        read_idx(raw / "train-images-idx3-ubyte.gz")[:, None].copy()
    )
    train_y = torch.from_numpy(
        read_idx(raw / "train-labels-idx1-ubyte.gz").astype(np.int64)
    )
    test_x = torch.from_numpy(
        read_idx(raw / "t10k-images-idx3-ubyte.gz")[:, None].copy()
    )
    test_y = torch.from_numpy(
        read_idx(raw / "t10k-labels-idx1-ubyte.gz").astype(np.int64)
    )
    order = np.random.default_rng(0).permutation(len(train_y))  # the emitted split
    n_val = round(len(train_y) * 0.1)
    val, train = torch.from_numpy(np.sort(order[:n_val])), torch.from_numpy(
        np.sort(order[n_val:])
    )
    model = lenet()
    optimizer = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=WEIGHT_DECAY)
    steps = epochs * -(-len(train) // BATCH)
    schedule = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, LR, total_steps=steps, pct_start=0.25
    )
    fit_started = time.perf_counter()
    for _ in range(epochs):
        for x, y in batches(train_x[train], train_y[train], shuffle=True):
            optimizer.zero_grad()
            F.cross_entropy(model(x), y).backward()
            optimizer.step()
            schedule.step()
        evaluate(model, train_x[val], train_y[val])
    fit_seconds = time.perf_counter() - fit_started
    accuracy = evaluate(model, test_x, test_y)
    total = time.perf_counter() - started
    print(json.dumps({"fit_s": fit_seconds, "script_s": total, "test_acc": accuracy}))


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]))
