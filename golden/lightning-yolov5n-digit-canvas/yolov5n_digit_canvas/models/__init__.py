"""Models by name: YOLOv5 in two widths (yolo.py), written for this project, and
torchvision's detectors (torchvision_detectors.py); each with its adapter, which
answers the Detector's calls."""

from ..errors import UserError
from .torchvision_detectors import TorchvisionAdapter, build_torchvision_detector
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


def build_model(cfg, in_channels: int, num_classes: int, image_size: int):
    """The network named by model.name, sized for the data (weights not loaded here)."""
    if cfg.name in TORCHVISION:
        return build_torchvision_detector(
            cfg.name, in_channels, num_classes, image_size
        )
    if cfg.name not in SIZES:
        known = ", ".join([*SIZES, *TORCHVISION])
        raise UserError(
            f"unknown model.name '{cfg.name}'; this project builds: {known}"
        )
    if image_size % STRIDE:
        raise UserError(
            f"data.image_size={image_size}: {cfg.name}'s coarsest grid has cells of"
            f" {STRIDE} pixels, so it must divide by {STRIDE}"
        )
    return YOLOv5(num_classes, SIZES[cfg.name], in_channels)


def build_adapter(cfg, net):
    """What answers the Detector's calls (train_loss, evaluate, detect) for `net`."""
    return TorchvisionAdapter(net) if cfg.name in TORCHVISION else YoloAdapter(net)
