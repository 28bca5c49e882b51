"""Side-by-side on a GPU: an emitted resnet18/cifar10 project against a hand-written loop.

python -m bench gpu [--project DIR] [--epochs 4] [--batches 128,512]
Writes format-exact CIFAR-10 files (by default 50,000 + 10,000 real digits, 32x32 RGB:
the accuracy says nothing about CIFAR) into the project's data/ when missing, then runs,
for each batch size, `python train.py` and `hand_loop_cifar.py` (also with channels-last) one after the
other. Reported: the median epoch after the first (training + validation) and images/s.
--project takes an already emitted project, for machines without copier (the lent GPUs).
"""

import io
import json
import statistics
import sys
import tarfile
import tempfile
from pathlib import Path

from tests.formats import cifar_archive

from .runs import emit, epoch_seconds, timed

HAND_LOOP = Path(__file__).with_name("hand_loop_cifar.py")


def add_arguments(options) -> None:
    options.add_argument("--project", type=Path)
    options.add_argument("--epochs", type=int, default=4)
    options.add_argument("--batches", default="128,512")
    options.add_argument("--train-size", type=int, default=50000)


def emitted(project: Path, epochs: int, batch: int) -> dict:
    cmd = [sys.executable, "train.py", f"trainer.max_epochs={epochs}"]
    cmd += [f"data.batch_size={batch}", "trainer.enable_progress_bar=false"]
    # The files written here are not the official ones: their checksums differ.
    cmd += ["data.verify_checksums=false"]
    wall, output = timed(cmd, project)
    run_dir = sorted((project / "runs").iterdir())[-1]
    record = json.loads((run_dir / "record.json").read_text())
    metrics = json.loads((run_dir / "metrics.json").read_text())
    return {
        "epoch_s": epoch_seconds(output),
        "wall_s": wall,
        "test_acc": metrics["test/acc"],
        "precision": record["hardware"]["precision"],
        "gpus": record["hardware"]["gpus"],
    }


def hand(project: Path, epochs: int, batch: int, channels_last: bool) -> dict:
    cmd = [sys.executable, str(HAND_LOOP), str(project / "data"), str(epochs)]
    cmd += [f"--batch={batch}"] + (["--channels-last"] if channels_last else [])
    wall, output = timed(cmd)
    return {**json.loads(output), "wall_s": wall}


def main(args) -> None:
    project = args.project or render_project()
    if not (project / "data" / "cifar-10-batches-py").is_dir():
        archive = cifar_archive(n_train=args.train_size, n_test=args.train_size // 5)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(project / "data", filter="data")
    trained = round(args.train_size * 0.9)
    print(f"{'run':<34}{'s/epoch':>9}{'img/s':>9}{'wall s':>8}{'test acc':>9}")
    for batch in (int(b) for b in args.batches.split(",")):
        runs = {
            f"emitted, batch {batch}": emitted(project, args.epochs, batch),
            f"hand loop, batch {batch}": hand(project, args.epochs, batch, False),
            f"hand, channels-last, batch {batch}": hand(
                project, args.epochs, batch, True
            ),
        }
        for name, run in runs.items():
            steady = statistics.median(run["epoch_s"][1:] or run["epoch_s"])
            print(
                f"{name:<34}{steady:>9.2f}{trained / steady:>9.0f}"
                f"{run['wall_s']:>8.1f}{run['test_acc']:>9.4f}",
                flush=True,
            )
        first = runs[f"emitted, batch {batch}"]
        print(f"  emitted precision {first['precision']} on {first['gpus']}")


def render_project() -> Path:
    project = Path(tempfile.mkdtemp()) / "lightning-resnet18-cifar10"
    return emit(project, model="resnet18", data="cifar10")
