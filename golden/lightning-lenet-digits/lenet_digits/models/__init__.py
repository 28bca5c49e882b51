"""Models by name: LeNet here, everything else from torchvision."""

import torchvision

from ..errors import UserError, did_you_mean
from .lenet import LeNet
from .torchvision_models import SMALL_INPUT_PX, build_torchvision


def check_model(cfg) -> None:
    """Refuse a model.name this project does not build: from the config alone, so
    train.py says it before any data is read or downloaded."""
    known = torchvision.models.list_models(module=torchvision.models)
    if cfg.name != "lenet" and cfg.name not in known:
        hint = did_you_mean(cfg.name, ["lenet", *known])
        raise UserError(
            f"unknown model.name '{cfg.name}'.{hint} (any torchvision classifier or lenet)"
        )


def build_model(cfg, in_channels: int, num_classes: int, image_size: int):
    """The network named by model.name, sized for the data (weights not loaded here)."""
    check_model(cfg)
    if cfg.name == "lenet":
        return LeNet(in_channels, num_classes, image_size)
    small = cfg.small_input_stem
    if small is None:
        small = image_size <= SMALL_INPUT_PX
    return build_torchvision(cfg.name, in_channels, num_classes, small)
