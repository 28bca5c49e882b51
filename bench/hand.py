"""Side-by-side: an emitted lenet/mnist project against a hand-written loop, same work.

python -m bench hand [--epochs 3] [--train-size 60000] [--repeats 2]
Both run as separate processes on format-exact MNIST files (real digits, resized); the
emitted run keeps its defaults (TensorBoard + CSV logs, checkpoints, test on best).
"""

import argparse
import json
import platform
import sys
import tempfile
from datetime import date
from pathlib import Path

from tests.formats import write_mnist

from .runs import emit, epoch_seconds, timed

HAND_LOOP = Path(__file__).with_name("hand_loop.py")


def add_arguments(options: argparse.ArgumentParser) -> None:
    options.add_argument("--epochs", type=int, default=3)
    options.add_argument("--train-size", type=int, default=60000)
    options.add_argument("--test-size", type=int, default=10000)
    options.add_argument("--repeats", type=int, default=2)


def main(args) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        project = emit(Path(scratch) / "lenet-mnist", model="lenet", data="mnist")
        write_mnist(project / "data" / "MNIST" / "raw", args.train_size, args.test_size)
        rows = []
        for _ in range(args.repeats):  # alternate, so drift hits both alike
            # stand-in files, not the official ones: their checksums differ
            cmd = [sys.executable, "train.py", f"trainer.max_epochs={args.epochs}"]
            cmd.append("data.verify_checksums=false")
            wall, out = timed(cmd, project)
            fit = sum(epoch_seconds(out))
            run_dir = sorted((project / "runs").iterdir())[-1]
            acc = json.loads((run_dir / "metrics.json").read_text())["test/acc"]
            rows.append(
                {
                    "who": "emitted (Lightning)",
                    "wall_s": wall,
                    "fit_s": fit,
                    "test_acc": acc,
                }
            )
            cmd = [
                sys.executable,
                str(HAND_LOOP),
                str(project / "data"),
                str(args.epochs),
            ]
            wall, out = timed(cmd, project)
            hand = json.loads(out)
            rows.append(
                {
                    "who": "hand loop",
                    "wall_s": wall,
                    "fit_s": hand["fit_s"],
                    "test_acc": hand["test_acc"],
                }
            )
    report(rows, args)


def report(rows: list[dict], args) -> None:
    print(
        f"lenet/mnist, {args.epochs} epochs, {args.train_size:,} + {args.test_size:,} images"
    )
    print(
        f"{platform.node()} ({platform.processor() or platform.machine()}), {date.today()}"
    )
    print(f"{'':<22}{'wall s':>9}{'fit s':>9}{'test acc':>10}")
    for row in rows:
        print(
            f"{row['who']:<22}{row['wall_s']:>9.1f}{row['fit_s']:>9.1f}{row['test_acc']:>10.4f}"
        )
    mean = {
        who: [r for r in rows if r["who"] == who]
        for who in ("emitted (Lightning)", "hand loop")
    }
    wall = [sum(r["wall_s"] for r in v) / len(v) for v in mean.values()]
    fit = [sum(r["fit_s"] for r in v) / len(v) for v in mean.values()]
    print(
        f"ratio emitted/hand: wall {wall[0] / wall[1]:.2f}x, fit {fit[0] / fit[1]:.2f}x"
    )
