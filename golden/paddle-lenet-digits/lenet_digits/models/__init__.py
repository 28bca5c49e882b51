"""Models by name: LeNet here, EfficientNet-B0 in efficientnet.py, the others from
paddle.vision."""

from ..errors import UserError, did_you_mean
from .lenet import LeNet
from .vision_models import BUILDERS, SMALL_INPUT_PX, build_vision


def check_model(cfg) -> None:
    """Refuse a model.name this project does not build: from the config alone, so
    train.py says it before any data is read or downloaded."""
    if cfg.name != "lenet" and cfg.name not in BUILDERS:
        hint = did_you_mean(cfg.name, ["lenet", *BUILDERS])
        known = ", ".join(["lenet", *BUILDERS])
        raise UserError(f"unknown model.name '{cfg.name}'.{hint} Known: {known}")


def build_model(cfg, in_channels: int, num_classes: int, image_size: int):
    """The network named by model.name, sized for the data (weights not loaded here)."""
    check_model(cfg)
    if cfg.name == "lenet":
        return LeNet(in_channels, num_classes, image_size)
    small = cfg.small_input_stem
    if small is None:
        small = image_size <= SMALL_INPUT_PX
    return build_vision(cfg.name, in_channels, num_classes, small)
