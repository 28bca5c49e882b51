"""Export a trained checkpoint for serving: an ONNX (or TorchScript) file and its
manifest.json, checked against the checkpoint on test images, in runs/<run>/export/.

Usage: python export.py ckpt_path=runs/<run>/checkpoints/best.ckpt [key=value ...]
  python export.py ckpt_path=runs/<run>/checkpoints/best.ckpt export.format=torchscript
  python export.py ckpt_path=runs/<run>/checkpoints/best.ckpt export.out=deploy/model

The check (export.verify=true) runs both on export.verify_images test images and exits
with code 1, leaving no export, when their outputs or test metric differ.
"""

import sys

from yolov5n_digit_canvas.config.cli import parse_cli
from yolov5n_digit_canvas.config.export_rules import check_model_opset
from yolov5n_digit_canvas.errors import run_cli
from yolov5n_digit_canvas.exporting.arguments import check_arguments, export_folder


def main(argv: list[str]) -> None:
    check_arguments(argv, ".ckpt")  # ckpt_path and export.out as given: before torch
    cfg = parse_cli(argv, __doc__, from_checkpoint=True)  # torch reads its config
    check_model_opset(cfg.model.name, cfg.export)  # R-CNN's RoIAlign, ONNX Runtime's
    folder = export_folder(cfg.ckpt_path, cfg.export.out)  # before Lightning loads
    from yolov5n_digit_canvas.exporting.stopping import stopped_cleanly

    with stopped_cleanly():  # Ctrl-C, SIGTERM: one line, and no half-written export
        from yolov5n_digit_canvas.exporting import exporter, verification

        try:
            manifest = exporter.export(cfg, folder)
        except verification.VerificationFailed as failure:
            said = f"error: verification failed: {failure}; no export written"
            print(said, file=sys.stderr)
            raise SystemExit(1) from None
    found = manifest["verification"]
    print(f"export: {folder} ({manifest['format']}: {', '.join(manifest['files'])})")
    if found.get("passed"):
        differences = found["largest_difference"].items()
        largest = ", ".join(f"{k} {v:.2g}" for k, v in differences) or "none"
        print(
            f"verified on {found['images']} test images: largest differences {largest};"
            f" {found['metric']} {found['export']:.4f} (checkpoint {found['checkpoint']:.4f})"
        )


if __name__ == "__main__":
    run_cli(main)
