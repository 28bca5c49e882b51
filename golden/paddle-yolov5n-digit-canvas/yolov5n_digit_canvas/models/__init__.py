"""Models by name: YOLOv5 in two widths (yolo.py), written for this project."""

from ..errors import UserError
from .yolo import YOLOv5

SIZES = {"yolov5n": "n", "yolov5s": "s"}
STRIDE = 32  # the coarsest of the detector's three grids


def check_model(cfg, in_channels: int, image_size: int) -> None:
    """Refuse a model.name this project does not build, or data it cannot take: from
    the config alone, so train.py says it before any data is read or downloaded."""
    if cfg.name not in SIZES:
        known = ", ".join(SIZES)
        raise UserError(
            f"unknown model.name '{cfg.name}'; this project builds: {known}"
        )
    if image_size % STRIDE:
        raise UserError(
            f"data.image_size={image_size}: {cfg.name}'s coarsest grid has cells of"
            f" {STRIDE} pixels, so it must divide by {STRIDE}"
        )


def build_model(cfg, in_channels: int, num_classes: int, image_size: int):
    """The network named by model.name, sized for the data (weights not loaded here)."""
    check_model(cfg, in_channels, image_size)
    return YOLOv5(num_classes, SIZES[cfg.name], in_channels)
