"""The values export.py's keys may take (export.*), checked with the rest of the config."""

from omegaconf import DictConfig

from ..errors import UserError

FORMATS = ("onnx", "torchscript")
OPSETS = range(18, 23)  # torch.onnx's exporter writes 18 and up; onnx 1.17 reads to 22
AT_LEAST_1 = "must be at least 1"


def check_export(export: DictConfig) -> None:
    """Raise a UserError naming the first export key whose value is not allowed."""
    if export.format not in FORMATS:
        raise UserError(
            f"export.format={export.format} is not allowed: must be"
            f" {' or '.join(FORMATS)}"
        )
    if export.opset not in OPSETS:
        raise UserError(
            f"export.opset={export.opset} is not allowed: must be from {OPSETS[0]} to"
            f" {OPSETS[-1]}"
        )
    for key in ("batch_size", "verify_batch_size", "verify_images"):
        if export[key] < 1:
            raise UserError(f"export.{key}={export[key]} is not allowed: {AT_LEAST_1}")
    if export.verify_batch_size == export.batch_size:
        raise UserError(
            f"export.verify_batch_size={export.verify_batch_size} equals"
            " export.batch_size: verify at another size, so that a batch size fixed in"
            " the export is caught"
        )
    if export.out == "":
        raise UserError("export.out= is empty: name a folder, or null for the run's")


# torchvision's R-CNNs pool with RoIAlign, which ONNX Runtime runs to opset 21 only
# (RoiAlign(22): NOT_IMPLEMENTED), as paddle2onnx writes YOLOv5 from opset 11 only
ROI_ALIGN = ("fasterrcnn", "maskrcnn")


def check_model_opset(model: str, export: DictConfig) -> None:
    """Raise a UserError for an export.opset the trained `model` cannot be run at."""
    if export.format == "onnx" and model.startswith(ROI_ALIGN) and export.opset > 21:
        raise UserError(
            f"export.opset={export.opset} is not allowed for model={model}: ONNX"
            " Runtime runs its RoiAlign up to opset 21; set export.opset=21 or below"
        )
