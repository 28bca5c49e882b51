"""A folder of 50,000 CIFAR-shaped PNGs through an emitted project, on this CPU.

python -m bench folder [--images 50000] [--project DIR]
Writes the PNGs (scikit-learn's digits scaled to 32x32 and tinted per image, 10 class
folders) when missing, then measures, one after the other: `python check_data.py` on
the folder (wall clock, the whole command); decoding the folder into memory
(`read_images`, img/s); and one epoch of the training loader's batches held in memory
against the same epoch streamed from the files by the loader's processes (img/s: the
data path alone, no model). Without --project it renders lenet/imagefolder (Lightning).
"""

import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .runs import emit, timed


def add_arguments(options) -> None:
    options.add_argument("--images", type=int, default=50000)
    options.add_argument("--project", type=Path)


def write_class(task: tuple) -> None:
    import numpy as np
    from PIL import Image
    from sklearn.datasets import load_digits

    folder, label, count = task
    digits = load_digits()
    pool = digits.images[digits.target == label]
    rng = np.random.default_rng(label)
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        gray = Image.fromarray(np.uint8(pool[number % len(pool)] * 15.9))
        gray = np.asarray(gray.resize((32, 32), Image.Resampling.BILINEAR), float)
        tint = rng.uniform(0.3, 1.0, 3)
        noise = rng.normal(0, 8, (32, 32, 3))
        pixels = np.clip(gray[..., None] * tint + noise, 0, 255).astype(np.uint8)
        Image.fromarray(pixels).save(folder / f"{number:05d}.png")


def loader_epoch(project: Path, root: Path, in_memory: bool) -> dict:
    """Seconds to set the data up and img/s of one pass over the train loader."""
    from omegaconf import OmegaConf

    package = emitted_package(project)
    compose = __import__(f"{package}.config.compose", fromlist=["compose"]).compose
    module = __import__(f"{package}.data.module", fromlist=["module"])
    args = ["data=imagefolder", f"data.root={root}", "data.image_size=32"]
    args += ["data.channels=3", f"data.in_memory={str(in_memory).lower()}"]
    cfg = compose(args)
    data = module.ImageClassificationData(cfg.data, 0)
    started = time.perf_counter()
    data.setup()
    setup = time.perf_counter() - started
    started, images = time.perf_counter(), 0
    for batch in data.loader("train", shuffle=True):
        images += len(batch[0])
    seconds = time.perf_counter() - started
    return {
        "setup_s": round(setup, 1),
        "workers": data.workers,
        "img_s": round(images / seconds),
        "config": OmegaConf.to_container(cfg.data)["in_memory"],
    }


def emitted_package(project: Path) -> str:
    """The project's package name, importable from here on."""
    if str(project) not in sys.path:
        sys.path.insert(0, str(project))
    return next(p.parent.parent.name for p in project.glob("*/config/compose.py"))


def main(args) -> None:
    project = args.project or emit(
        Path(tempfile.mkdtemp()) / "folder", model="lenet", data="imagefolder"
    )
    root = (project / "data" / "pngs").resolve()
    if not root.is_dir():
        tasks = [(root / str(label), label, args.images // 10) for label in range(10)]
        with ProcessPoolExecutor(os.cpu_count()) as pool:
            list(pool.map(write_class, tasks))
    cmd = [sys.executable, "check_data.py", "data=imagefolder", f"data.root={root}"]
    wall, _ = timed([*cmd, "data.image_size=32", "data.channels=3"], project)
    print(f"check_data.py on {args.images:,} PNGs: {wall:.1f} s (target <= 30 s)")
    package = emitted_package(project)
    pool = __import__(f"{package}.data.image_pool", fromlist=["read_images"])
    paths = sorted(root.rglob("*.png"))
    started = time.perf_counter()
    pool.read_images(paths, 3, 32)
    rate = len(paths) / (time.perf_counter() - started)
    print(f"decoding into memory: {rate:,.0f} img/s on {pool.usable_cores()} cores")
    for in_memory in (True, False, True, False):  # alternately: the load drifts
        result = loader_epoch(project, root, in_memory)
        print(f"loader epoch, data.in_memory={in_memory}: {result}", flush=True)
