"""paddle.vision's classification models (and our EfficientNet-B0, which paddle.vision
lacks), with the first layer fitted to the data.

Small images (CIFAR's 32 px) lose too much in ImageNet's 7x7 stride-2 stem and max-pool:
the small-input stem is a 3x3 stride-1 conv and no max-pool, as in the CIFAR ResNets.
"""

import paddle.vision.models as vision
from paddle import nn

from .efficientnet import EfficientNetB0

SMALL_INPUT_PX = 64  # images up to this size get the small-input stem by default
BUILDERS = {
    "resnet18": vision.resnet18,
    "resnet34": vision.resnet34,
    "resnet50": vision.resnet50,
    "mobilenet_v3_small": vision.mobilenet_v3_small,
    "efficientnet_b0": EfficientNetB0,
}


def build_vision(name: str, in_channels: int, num_classes: int, small_stem: bool):
    model = BUILDERS[name](num_classes=num_classes)
    owner, attr = first_conv(model)
    conv = getattr(owner, attr)
    out_channels, old_in, old_kernel, _ = conv.weight.shape
    if small_stem or in_channels != old_in:
        kernel = 3 if small_stem else old_kernel
        stride = 1 if small_stem else conv._stride[0]  # Conv2D keeps it only privately
        bias = conv.bias is not None
        new = nn.Conv2D(
            in_channels, out_channels, kernel, stride, kernel // 2, bias_attr=bias
        )
        setattr(owner, attr, new)
    if small_stem and hasattr(model, "maxpool"):
        model.maxpool = nn.Identity()
    return model


def first_conv(model: nn.Layer) -> tuple[nn.Layer, str]:
    """The layer holding the first convolution, and its attribute name."""
    if hasattr(model, "conv1"):  # ResNets
        return model, "conv1"
    if hasattr(model, "features"):  # EfficientNet: features[0] = conv, bn, act
        return model.features[0], "0"
    return model.conv, "0"  # MobileNetV3: conv = conv, bn, act
