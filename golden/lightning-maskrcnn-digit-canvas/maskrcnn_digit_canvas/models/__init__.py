"""Models by name: torchvision's Mask R-CNN (torchvision_detectors.py), with the
adapter that answers the InstanceSegmenter's calls."""

from ..errors import UserError
from .torchvision_detectors import (
    TorchvisionAdapter,
    build_torchvision_detector,
    check_rgb,
)

TORCHVISION = ("maskrcnn_resnet50_fpn", "maskrcnn_resnet50_fpn_v2")


def check_model(cfg, in_channels: int, image_size: int) -> None:
    """Refuse a model.name this project does not build, or data it cannot take: from
    the config alone, so train.py says it before any data is read or downloaded."""
    if cfg.name not in TORCHVISION:
        known = ", ".join(TORCHVISION)
        raise UserError(
            f"unknown model.name '{cfg.name}'; this project builds: {known}"
        )
    check_rgb(cfg.name, in_channels)


def build_model(cfg, in_channels: int, num_classes: int, image_size: int):
    """The network named by model.name, sized for the data (weights not loaded here)."""
    check_model(cfg, in_channels, image_size)
    return build_torchvision_detector(cfg.name, num_classes, image_size)


def build_adapter(cfg, net) -> TorchvisionAdapter:
    """What answers the InstanceSegmenter's calls (train_loss, evaluate, detect)."""
    return TorchvisionAdapter(net)
