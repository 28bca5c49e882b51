"""Evaluate a trained checkpoint on the test split; data and model come from its run.

Usage: python eval.py ckpt_path=runs/<run>/checkpoints/best.pdparams [key=value ...]
  python eval.py ckpt_path=runs/<run>/checkpoints/best.pdparams data.root=/data
"""

from lenet_digits.config.cli import parse_cli
from lenet_digits.errors import run_cli


def main(argv: list[str]) -> None:
    cfg = parse_cli(argv, __doc__, from_checkpoint=True)
    from lenet_digits.evaluation import evaluate
    from lenet_digits.records.summary import report

    report(f"checkpoint: {cfg.ckpt_path}", evaluate(cfg))


if __name__ == "__main__":
    run_cli(main)
