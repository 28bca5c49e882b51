"""Detect objects in images with a trained checkpoint: for each, its boxes scoring 0.25
or more, drawn on <name>_boxes.png (class and score beside each) and listed in
predictions.json (COCO's result form: bbox as x, y, width, height in the image's
pixels), in out=DIR (default: the checkpoint's run, predictions/).

Usage: python predict.py ckpt_path=runs/<run>/checkpoints/best.ckpt inputs=<image|folder>
  python predict.py ckpt_path=runs/<run>/checkpoints/best.ckpt inputs=photos out=answers

In a folder, files that cannot be read are listed on stderr and the others predicted;
the exit code is 2 only when no image could be read.
"""

import sys
from pathlib import Path

from yolov5n_digit_canvas.config.cli import parse_cli, take_arg
from yolov5n_digit_canvas.errors import UserError, run_cli


def main(argv: list[str]) -> None:
    argv, inputs = take_arg(argv, "inputs")
    argv, out = take_arg(argv, "out")
    cfg = parse_cli(argv, __doc__, from_checkpoint=True)
    if inputs is None:
        raise UserError("predict.py needs inputs=<image file or folder>")
    out_dir = Path(out) if out else Path(cfg.ckpt_path).parent.parent / "predictions"
    from yolov5n_digit_canvas.box_pictures import write_outputs
    from yolov5n_digit_canvas.prediction_files import predict

    results, unreadable = predict(cfg, inputs, out_dir, write_outputs)
    for result in results:
        print(f"{result['file']}\t{result['summary']}")
    for path, reason in unreadable:
        print(f"cannot read image {path}: {reason}", file=sys.stderr)
    if not results:
        raise UserError(
            f"inputs={inputs}: none of its {len(unreadable)} images is readable"
        )
    print(f"outputs: {out_dir}")


if __name__ == "__main__":
    run_cli(main)
