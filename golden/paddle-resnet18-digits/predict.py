"""Classify images with a trained checkpoint: prints path, class and probability per image.

Usage: python predict.py ckpt_path=runs/<run>/checkpoints/best.ckpt inputs=<image|folder>
"""

from resnet18_digits.config.cli import parse_cli, take_arg
from resnet18_digits.errors import UserError, run_cli


def main(argv: list[str]) -> None:
    argv, inputs = take_arg(argv, "inputs")
    cfg = parse_cli(argv, __doc__, from_checkpoint=True)
    if inputs is None:
        raise UserError("predict.py needs inputs=<image file or folder>")
    from resnet18_digits.prediction import predict

    for path, label, probability in predict(cfg, inputs):
        print(f"{path}\t{label}\t{probability:.4f}")


if __name__ == "__main__":
    run_cli(main)
