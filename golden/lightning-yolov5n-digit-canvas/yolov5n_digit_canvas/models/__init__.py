"""Models by name: YOLOv5 in two widths (yolo.py), written for this project, and
torchvision's detectors (torchvision_detectors.py); each with its adapter, which
answers the Detector's calls."""

from ..errors import UserError
from .torchvision_detectors import (
    TorchvisionAdapter,
    build_torchvision_detector,
    check_rgb,
)
from .yolo import YOLOv5
from .yolo_adapter import YoloAdapter

SIZES = {"yolov5n": "n", "yolov5s": "s"}
STRIDE = 32  # the coarsest of YOLOv5's three grids
TORCHVISION = (
    "fasterrcnn_mobilenet_v3_large_320_fpn",
    "fasterrcnn_resnet50_fpn",
    "retinanet_resnet50_fpn",
    "ssdlite320_mobilenet_v3_large",
)


def check_model(cfg, in_channels: int, image_size: int) -> None:
    """Refuse a model.name this project does not build, or data it cannot take: from
    the config alone, so train.py says it before any data is read or downloaded."""
    if cfg.name in TORCHVISION:
        check_rgb(cfg.name, in_channels)
    elif cfg.name not in SIZES:
        known = ", ".join([*SIZES, *TORCHVISION])
        raise UserError(
            f"unknown model.name '{cfg.name}'; this project builds: {known}"
        )
    elif image_size % STRIDE:
        raise UserError(
            f"data.image_size={image_size}: {cfg.name}'s coarsest grid has cells of"
            f" {STRIDE} pixels, so it must divide by {STRIDE}"
        )


def build_model(cfg, in_channels: int, num_classes: int, image_size: int):
    """The network named by model.name, sized for the data (weights not loaded here)."""
    check_model(cfg, in_channels, image_size)
    if cfg.name in TORCHVISION:
        return build_torchvision_detector(cfg.name, num_classes, image_size)
    return YOLOv5(num_classes, SIZES[cfg.name], in_channels)


def build_adapter(cfg, net):
    """What answers the Detector's calls (train_loss, evaluate, detect) for `net`."""
    return TorchvisionAdapter(net) if cfg.name in TORCHVISION else YoloAdapter(net)
