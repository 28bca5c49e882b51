"""Classify images with a trained checkpoint: prints path, class and probability per image.

Usage: python predict.py ckpt_path=runs/<run>/checkpoints/best.pdparams inputs=<image|folder>

In a folder, files that cannot be read are listed on stderr and the others predicted;
the exit code is 2 only when no image could be read.
"""

import sys

from lenet_digits.config.cli import parse_cli, take_arg
from lenet_digits.errors import UserError, run_cli


def main(argv: list[str]) -> None:
    argv, inputs = take_arg(argv, "inputs")
    cfg = parse_cli(argv, __doc__, from_checkpoint=True)
    if not inputs:  # absent, or empty (inputs= alone would read the whole folder here)
        raise UserError("predict.py needs inputs=<image file or folder>")
    from lenet_digits.prediction import predict

    results, unreadable = predict(cfg, inputs)
    for path, label, probability in results:
        print(f"{path}\t{label}\t{probability:.4f}")
    for path, reason in unreadable:
        print(f"cannot read image {path}: {reason}", file=sys.stderr)
    if not results:
        raise UserError(
            f"inputs={inputs}: none of its {len(unreadable)} images is readable"
        )


if __name__ == "__main__":
    run_cli(main)
