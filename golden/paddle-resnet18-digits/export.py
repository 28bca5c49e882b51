"""Export a trained checkpoint for serving, then check that the export answers as the
checkpoint does (exit 1, naming the largest difference, when it does not).

Usage: python export.py ckpt_path=runs/<run>/checkpoints/best.pdparams [key=value ...]
  python export.py ckpt_path=... export.format=paddle   # a paddle.inference model
  python export.py ckpt_path=... export.verify=false    # skip the check (said loudly)

Writes runs/<run>/export/ (export.out=DIR elsewhere): model.onnx (or model.json and
model.pdiparams) and manifest.json, which says how to prepare images (docs: README).
"""

import os
import sys

from resnet18_digits.config.cli import parse_cli
from resnet18_digits.errors import run_cli


def main(argv: list[str]) -> None:
    cfg = parse_cli(argv, __doc__, from_checkpoint=True)
    os.environ.setdefault("GLOG_minloglevel", "2")  # paddle's C++ notes while saving
    from resnet18_digits.exporting.artefact import ExportFailed
    from resnet18_digits.exporting.exporter import export

    try:
        out = export(cfg)
    except ExportFailed as failure:  # not the user's mistake: exit 1, not 2
        print(f"error: {failure}; nothing was exported", file=sys.stderr)
        raise SystemExit(1) from None
    print(f"exported to {out}")


if __name__ == "__main__":
    run_cli(main)
