"""Seconds per epoch of the Paddle twin against the Lightning twin, same spec, same data.

python -m bench twins [--cifar-images 384]
lenet/digits trains with its defaults (20 epochs); resnet18 trains two epochs on
CIFAR-shaped format-exact files. Reported: the median epoch (lenet), the second epoch
(resnet18), as each project's own epoch lines print them.
"""

import io
import statistics
import sys
import tarfile
import tempfile
from pathlib import Path

from onefit.schemas.catalog import BACKENDS

from tests.formats import cifar_archive

from .runs import emit, epoch_seconds, timed


def add_arguments(options) -> None:
    options.add_argument("--cifar-images", type=int, default=384)


def trained_epochs(project: Path, args: list[str]) -> list[float]:
    cmd = [sys.executable, "train.py", "trainer.enable_progress_bar=false", *args]
    return epoch_seconds(timed(cmd, project)[1])


def project(root: Path, backend: str, model: str, data: str) -> Path:
    out = root / f"{backend}-{model}-{data}"
    return emit(out, model=model, data=data, backend=backend)


def main(args) -> None:
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        archive = cifar_archive(n_train=args.cifar_images, n_test=100)
        for backend in BACKENDS:
            lenet = project(Path(scratch), backend, "lenet", "digits")
            rows.append(
                (backend, "lenet/digits", statistics.median(trained_epochs(lenet, [])))
            )
            resnet = project(Path(scratch), backend, "resnet18", "cifar10")
            with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
                tar.extractall(resnet / "data", filter="data")
            # format-exact stand-ins, not CIFAR's own files: their MD5s differ
            shaped = ["trainer.max_epochs=2", "data.verify_checksums=false"]
            seconds = trained_epochs(resnet, shaped)[-1]
            rows.append(
                (
                    backend,
                    f"resnet18/cifar10-shaped ({args.cifar_images} images)",
                    seconds,
                )
            )
    for backend, what, seconds in rows:
        print(f"{backend:<10} {what:<40} {seconds:7.2f} s/epoch")
    first, *others = BACKENDS  # each twin against the first (lightning)
    for what in dict.fromkeys(w for _, w, _ in rows):
        times = {b: s for b, w, s in rows if w == what}
        for other in others:
            print(f"{other}/{first} {what}: {times[other] / times[first]:.2f}x")
