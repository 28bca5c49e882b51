"""Models by name: the U-Net here (unet.py)."""

from ..errors import UserError
from .unet import UNet

DOWNSAMPLINGS = 3  # the U-Net halves the image this many times


def build_model(cfg, in_channels: int, num_classes: int, image_size: int):
    """The network named by model.name, sized for the data (weights not loaded here)."""
    if cfg.name != "unet":
        raise UserError(f"unknown model.name '{cfg.name}'; this project builds: unet")
    if image_size % 2**DOWNSAMPLINGS:
        raise UserError(
            f"data.image_size={image_size}: the U-Net halves it {DOWNSAMPLINGS} times,"
            f" so it must divide by {2**DOWNSAMPLINGS}"
        )
    return UNet(in_channels, num_classes, depth=DOWNSAMPLINGS)
