"""Export a trained checkpoint for serving: an ONNX file (or a Paddle inference model)
and its manifest.json, checked against the checkpoint on test images, in
runs/<run>/export/.

Usage: python export.py ckpt_path=runs/<run>/checkpoints/best.pdparams [key=value ...]
  python export.py ckpt_path=runs/<run>/checkpoints/best.pdparams export.format=paddle
  python export.py ckpt_path=runs/<run>/checkpoints/best.pdparams export.out=deploy/model

The check (export.verify=true) runs both on export.verify_images test images and exits
with code 1, leaving no export, when their outputs or test metric differ.
"""

import os
import sys

from yolov5n_digit_canvas.config.cli import parse_cli
from yolov5n_digit_canvas.errors import run_cli
from yolov5n_digit_canvas.exporting.arguments import check_arguments, export_folder


def main(argv: list[str]) -> None:
    check_arguments(argv, ".pdparams")  # ckpt_path and export.out as given
    cfg = parse_cli(argv, __doc__, from_checkpoint=True)
    folder = export_folder(cfg.ckpt_path, cfg.export.out)  # before paddle loads
    os.environ.setdefault("GLOG_minloglevel", "2")  # paddle's C++ notes while saving
    from yolov5n_digit_canvas.exporting.stopping import stopped_cleanly

    with stopped_cleanly():  # Ctrl-C, SIGTERM: one line, and no half-written export
        from yolov5n_digit_canvas.exporting.writer import ExportFailed
        from yolov5n_digit_canvas.exporting.exporter import export
        from yolov5n_digit_canvas.records.record import stop_on_signals

        stop_on_signals()  # again: importing paddle set its own (a C++ traceback)
        try:
            manifest = export(cfg, folder)
        except ExportFailed as failure:  # not the user's mistake: exit 1, not 2
            print(f"error: {failure}; no export written", file=sys.stderr)
            raise SystemExit(1) from None
    found = manifest["verification"]
    print(f"export: {folder} ({manifest['format']}: {', '.join(manifest['files'])})")
    if found.get("passed"):
        largest = ", ".join(
            f"{k} {v:.2g}" for k, v in found["largest_difference"].items()
        )
        print(
            f"verified on {found['images']} test images: largest differences {largest};"
            f" {found['metric']} {found['export']:.4f} (checkpoint {found['checkpoint']:.4f})"
        )


if __name__ == "__main__":
    run_cli(main)
