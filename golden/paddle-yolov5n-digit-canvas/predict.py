"""Detect objects in images with a trained checkpoint: for each, its boxes scoring 0.25
or more, drawn on <name>_boxes.png (class and score beside each) and listed in
predictions.json (COCO's result form: bbox as x, y, width, height in the image's
pixels), in out=DIR (default: the checkpoint's run, predictions/).

Usage: python predict.py ckpt_path=runs/<run>/checkpoints/best.pdparams inputs=<image|folder>
  python predict.py ckpt_path=runs/<run>/checkpoints/best.pdparams inputs=photos out=answers

In a folder, files that cannot be read are listed on stderr and the others predicted;
the exit code is 2 only when no image could be read.
"""

import os
import sys
from pathlib import Path

from yolov5n_digit_canvas.config.cli import parse_cli, take_arg
from yolov5n_digit_canvas.errors import UserError, run_cli


def main(argv: list[str]) -> None:
    argv, inputs = take_arg(argv, "inputs")
    argv, out = take_arg(argv, "out")
    cfg = parse_cli(argv, __doc__, from_checkpoint=True)
    if not inputs:  # absent, or empty (inputs= alone would read the whole folder here)
        raise UserError("predict.py needs inputs=<image file or folder>")
    if out == "":
        raise UserError(
            "out= is empty: name a folder, or leave out= away for the run's"
        )
    out_dir = Path(out or Path(cfg.ckpt_path).parent.parent / "predictions")
    check_out(out_dir, Path(inputs))
    from yolov5n_digit_canvas.box_pictures import write_outputs
    from yolov5n_digit_canvas.prediction_files import predict

    made = not out_dir.exists()
    try:
        results, unreadable = predict(cfg, inputs, out_dir, write_outputs)
    finally:  # nothing written (no image readable, or a failure): leave no empty folder
        if made and out_dir.is_dir() and not any(out_dir.iterdir()):
            out_dir.rmdir()
    for result in results:
        print(f"{result['file']}\t{result['summary']}")
    for path, reason in unreadable:
        print(f"cannot read image {path}: {reason}", file=sys.stderr)
    if not results:
        raise UserError(
            f"inputs={inputs}: none of its {len(unreadable)} images is readable"
        )
    print(f"outputs: {out_dir}")


def check_out(out_dir: Path, inputs: Path) -> None:
    """Refuse, before any work, an out= that cannot hold the outputs."""
    if out_dir.exists() and not out_dir.is_dir():
        raise UserError(
            f"out={out_dir} is a file: name a folder (it is made if missing)"
        )
    if inputs.is_dir() and out_dir.resolve().is_relative_to(inputs.resolve()):
        raise UserError(
            f"out={out_dir} lies inside inputs={inputs}: its pictures would be read as"
            " inputs next time; name a folder outside it"
        )
    existing = next(p for p in [out_dir, *out_dir.absolute().parents] if p.exists())
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        raise UserError(f"out={out_dir}: {existing} is not a folder you can write in")


if __name__ == "__main__":
    run_cli(main)
