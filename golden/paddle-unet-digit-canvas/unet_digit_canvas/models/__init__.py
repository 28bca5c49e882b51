"""Models by name: the U-Net here (unet.py), and DeepLabV3 and LR-ASPP written for
paddle on paddle.vision's backbones (deeplab.py, lraspp.py), named as torchvision's."""

from ..errors import UserError
from .deeplab import deeplabv3_mobilenet_v3_large, deeplabv3_resnet50
from .lraspp import lraspp_mobilenet_v3_large
from .unet import UNet

DOWNSAMPLINGS = 3  # the U-Net halves the image this many times
ON_BACKBONES = {  # each gives scores per pixel at the input's size
    "lraspp_mobilenet_v3_large": lraspp_mobilenet_v3_large,
    "deeplabv3_mobilenet_v3_large": deeplabv3_mobilenet_v3_large,
    "deeplabv3_resnet50": deeplabv3_resnet50,
}


def check_model(cfg, in_channels: int, image_size: int) -> None:
    """Refuse a model.name this project does not build, or data it cannot take: from
    the config alone, so train.py says it before any data is read or downloaded."""
    if cfg.name in ON_BACKBONES:
        if in_channels != 3:
            raise UserError(
                f"model.name={cfg.name} takes RGB images: set data.channels=3"
            )
    elif cfg.name != "unet":
        known = ", ".join(["unet", *ON_BACKBONES])
        raise UserError(
            f"unknown model.name '{cfg.name}'; this project builds: {known}"
        )
    elif image_size % 2**DOWNSAMPLINGS:
        raise UserError(
            f"data.image_size={image_size}: the U-Net halves it {DOWNSAMPLINGS} times,"
            f" so it must divide by {2**DOWNSAMPLINGS}"
        )


def build_model(cfg, in_channels: int, num_classes: int, image_size: int):
    """The network named by model.name, sized for the data (weights not loaded here)."""
    check_model(cfg, in_channels, image_size)
    if cfg.name in ON_BACKBONES:
        return ON_BACKBONES[cfg.name](num_classes)
    return UNet(in_channels, num_classes, depth=DOWNSAMPLINGS)
