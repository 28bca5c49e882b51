"""Images streamed from their files against the same images in memory, and against the
model's compute-bound rate, side by side in one run.

python -m bench stream [--project DIR] [--images 12000] [--size 224] [--epochs 3]
Writes a folder of JPEG photos (crops of scikit-learn's two sample photos, a class
each, a little larger than --size) into the project's data/jpegs when missing, then trains
the emitted project on it with data.in_memory=true, data.in_memory=false (decoded by the
loader's workers) and, on a GPU, data.decode=device; reports img/s of the median epoch
after the first. The compute-bound rate is a plain loop of the same torchvision model on
a batch already on the device, no loader at all. Without --project it renders
resnet50/imagefolder (Lightning), whose default input is 224 px.
"""

import json
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .runs import emit, epoch_seconds, timed

CLASSES = ("china.jpg", "flower.jpg")  # scikit-learn's sample photos, one per class


def add_arguments(options) -> None:
    options.add_argument("--project", type=Path)
    options.add_argument("--images", type=int, default=12000)
    options.add_argument("--size", type=int, default=224)
    options.add_argument("--epochs", type=int, default=3)
    options.add_argument("--batch", type=int, default=128)
    options.add_argument("--model", default="resnet50")


def write_photo(task: tuple) -> None:
    """One JPEG: a random crop of its class's photo, scaled to `side`, maybe mirrored."""
    import numpy as np
    from PIL import Image
    from sklearn.datasets import load_sample_image

    path, name, side, seed = task
    rng = np.random.default_rng(seed)
    photo = load_sample_image(name)
    height, width = photo.shape[:2]
    crop = int(min(height, width) * rng.uniform(0.5, 0.9))
    top, left = rng.integers(0, height - crop), rng.integers(0, width - crop)
    image = Image.fromarray(photo[top : top + crop, left : left + crop])
    image = image.resize((side, side), Image.Resampling.BILINEAR)
    if rng.random() < 0.5:
        image = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    image.save(path, quality=90)


def write_folder(root: Path, count: int, size: int) -> None:
    side = int(size * 1.15)  # photos are rarely the input size: each one is resized
    tasks = []
    for number in range(count):
        name = CLASSES[number % len(CLASSES)]
        folder = root / name.removesuffix(".jpg")
        folder.mkdir(parents=True, exist_ok=True)
        tasks.append((folder / f"{number:06d}.jpg", name, side, number))
    with ProcessPoolExecutor(os.cpu_count()) as pool:
        list(pool.map(write_photo, tasks, chunksize=64))


def emitted(project: Path, root: Path, args, *keys: str) -> dict:
    cmd = [sys.executable, "train.py", "data=imagefolder", f"data.root={root}"]
    cmd += [f"trainer.max_epochs={args.epochs}", f"data.batch_size={args.batch}"]
    cmd += ["data.val_fraction=0.02", "data.test_fraction=0.02", *keys]
    cmd += ["trainer.enable_progress_bar=false", "checkpoint.monitor=train/loss"]
    cmd += ["checkpoint.mode=min", f"model.input_size={args.size}"]
    cmd += ["optimizer.lr=0.01"]  # steady from scratch: speed is what is measured
    try:  # a failed setting is reported, and the others still run
        wall, output = timed(cmd, project)
    except SystemExit as failed:
        return {"keys": " ".join(keys), "img_s": 0, "failed": str(failed)[-400:]}
    run_dir = sorted((project / "runs").iterdir())[-1]
    record = json.loads((run_dir / "record.json").read_text())
    epochs = epoch_seconds(output)
    median = statistics.median(epochs[1:] or epochs)
    train = record["data"]["train_size"]
    return {
        "keys": " ".join(keys),
        "epoch_s": epochs,
        "img_s": round(train / median),
        "wall_s": round(wall, 1),
        "precision": record["hardware"]["precision"],
    }


def compute_bound(args, classes: int) -> dict:
    """img/s of forward, backward and step alone, on one batch kept on the device."""
    import torch
    import torchvision

    cuda = torch.cuda.is_available()
    device = torch.device("cuda" if cuda else "cpu")
    model = getattr(torchvision.models, args.model)(num_classes=classes).to(device)
    layout = torch.channels_last if cuda else torch.contiguous_format
    model = model.to(memory_format=layout)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    images = torch.randn(args.batch, 3, args.size, args.size, device=device)
    images = images.contiguous(memory_format=layout)
    labels = torch.randint(0, classes, (args.batch,), device=device)
    dtype = torch.bfloat16 if cuda and torch.cuda.is_bf16_supported() else None

    def step() -> None:
        with torch.autocast(device.type, dtype=dtype, enabled=dtype is not None):
            loss = torch.nn.functional.cross_entropy(model(images), labels)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)

    steps = 50 if cuda else 3
    for _ in range(max(3, steps // 5)):
        step()
    torch.cuda.synchronize() if cuda else None
    started = time.perf_counter()
    for _ in range(steps):
        step()
    torch.cuda.synchronize() if cuda else None
    seconds = time.perf_counter() - started
    return {"img_s": round(steps * args.batch / seconds), "dtype": str(dtype)}


def main(args) -> None:
    import torch

    project = args.project or emit(
        Path(tempfile.mkdtemp()) / "stream", model=args.model, data="imagefolder"
    )
    root = (project / "data" / "jpegs").resolve()
    if not root.is_dir():
        started = time.perf_counter()
        write_folder(root, args.images, args.size)
        print(f"wrote {args.images} JPEGs in {time.perf_counter() - started:.1f} s")
    runs = [["data.in_memory=true"], ["data.in_memory=false"]]
    if torch.cuda.is_available():
        runs.append(["data.in_memory=false", "data.decode=device"])
    results = {"compute_bound": compute_bound(args, len(CLASSES))}
    torch.cuda.empty_cache()  # the emitted runs get the device's memory whole
    bound = results["compute_bound"]["img_s"]
    print(f"{'compute_bound':45} {bound:>7} img/s", flush=True)
    for keys in runs:
        result = results[" ".join(keys)] = emitted(project, root, args, *keys)
        share = f"{result['img_s'] / bound:.0%} of compute-bound"
        print(f"{' '.join(keys):45} {result['img_s']:>7} img/s  {share}", flush=True)
    print(json.dumps(results, indent=1))
