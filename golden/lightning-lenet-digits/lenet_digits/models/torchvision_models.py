"""torchvision's classification models, with the first layer fitted to the data.

Small images (CIFAR's 32 px) lose too much in ImageNet's 7x7 stride-2 stem and max-pool:
the small-input stem is a 3x3 stride-1 conv and no max-pool, as in the CIFAR ResNets.
"""

import torchvision
from torch import nn

SMALL_INPUT_PX = 64  # images up to this size get the small-input stem by default


def build_torchvision(name: str, in_channels: int, num_classes: int, small_stem: bool):
    model = torchvision.models.get_model(name, weights=None, num_classes=num_classes)
    owner, attr = first_conv(model)
    conv = getattr(owner, attr)
    if small_stem or in_channels != conv.in_channels:
        kernel = 3 if small_stem else conv.kernel_size[0]
        stride = 1 if small_stem else conv.stride[0]
        setattr(
            owner,
            attr,
            nn.Conv2d(
                in_channels,
                conv.out_channels,
                kernel,
                stride,
                kernel // 2,
                bias=conv.bias is not None,
            ),
        )
    if small_stem and hasattr(model, "maxpool"):
        model.maxpool = nn.Identity()
    return model


def first_conv(model: nn.Module) -> tuple[nn.Module, str]:
    """The module holding the first convolution, and its attribute name."""
    if hasattr(model, "conv1"):  # ResNets
        return model, "conv1"
    return (
        model.features[0],
        "0",
    )  # EfficientNet, MobileNet: features[0] = conv, bn, act
