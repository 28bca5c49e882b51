"""Evaluate a trained checkpoint on the test split; data and model come from its run.

Usage: python eval.py ckpt_path=runs/<run>/checkpoints/best.pdparams [key=value ...]
  python eval.py ckpt_path=runs/<run>/checkpoints/best.pdparams data.root=/data
"""

from unet_digit_canvas.config.cli import parse_cli
from unet_digit_canvas.errors import run_cli


def main(argv: list[str]) -> None:
    cfg = parse_cli(argv, __doc__, from_checkpoint=True)
    from unet_digit_canvas.evaluation import evaluate
    from unet_digit_canvas.records.summary import report

    report(f"checkpoint: {cfg.ckpt_path}", evaluate(cfg))


if __name__ == "__main__":
    run_cli(main)
