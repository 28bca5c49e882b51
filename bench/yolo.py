"""Side-by-side: an emitted yolov5n/digit_canvas project's training against a hand-written
loop over the same network, loss and batches (bench/hand_loop_yolo.py), alternately.

python -m bench yolo [--epochs 3] [--batches 40] [--repeats 2]
Both train `--epochs` epochs of `--batches` batches (batch 16, the default recipe) and
validate with COCO mAP after each; the emitted run keeps its defaults (TensorBoard + CSV
logs, checkpoints, test on best). Compared: the seconds of the epochs (train + validation),
per training step.
"""

import json
import platform
import statistics
import sys
import tempfile
from datetime import date
from pathlib import Path

from .runs import emit, epoch_seconds, timed

HAND_LOOP = Path(__file__).with_name("hand_loop_yolo.py")


def add_arguments(options) -> None:
    options.add_argument("--epochs", type=int, default=3)
    options.add_argument("--batches", type=int, default=40)
    options.add_argument("--repeats", type=int, default=2)


def main(args) -> None:
    ratios = []
    with tempfile.TemporaryDirectory() as scratch:
        project = emit(Path(scratch) / "yolo", task="detection", backend="lightning")
        steps = args.epochs * args.batches
        for repeat in range(args.repeats):  # alternate, so drift hits both alike
            cmd = [sys.executable, "train.py", "trainer.enable_progress_bar=false"]
            cmd += [f"trainer.max_epochs={args.epochs}"]
            cmd += [f"trainer.limit_train_batches={args.batches}"]
            _, out = timed(cmd, project)
            emitted = sum(epoch_seconds(out))
            run_dir = sorted((project / "runs").iterdir())[-1]
            _, out = timed([sys.executable, str(HAND_LOOP), str(run_dir)], project)
            hand = json.loads(out)
            assert hand["steps_per_epoch"] == args.batches, hand
            hand_s = sum(hand["epoch_s"])
            ratios.append(emitted / hand_s)
            print(
                f"{repeat + 1}: emitted {emitted:.1f} s ({1000 * emitted / steps:.0f} ms"
                f"/step), hand {hand_s:.1f} s ({1000 * hand_s / steps:.0f} ms/step),"
                f" ratio {ratios[-1]:.2f}x",
                flush=True,
            )
    where = f"{platform.node()} ({platform.processor() or platform.machine()})"
    print(
        f"yolov5n/digit_canvas, {args.epochs} x {args.batches} steps, {where}, {date.today()}"
    )
    print(f"median ratio emitted/hand: {statistics.median(ratios):.2f}x")
