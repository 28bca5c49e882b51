"""paddle.vision's ResNet-50 and MobileNetV3-Large as segmentation backbones: the
classifier dropped, the last stages dilated instead of strided, as torchvision builds
them for its segmentation models (ResNet-50: output stride 8; MobileNetV3: 16).

Layer names stay paddle.vision's, so its ImageNet weights (and torchvision's ResNet-50
file) load by name under `backbone.` (models/pretrained.py).
"""

import paddle.vision.models as vision
from paddle import nn
from paddle.vision.models.resnet import BottleneckBlock

LOW_LEVEL_BLOCKS = 4  # MobileNetV3-Large's blocks up to output stride 8 (40 channels)


def dilated_stage(in_channels: int, planes: int, blocks: int, dilation: int):
    """A ResNet stage at stride 1, its 3x3 convolutions dilated instead: the first
    block at the previous stage's dilation, as torchvision's replace_stride_with_dilation
    (paddle.vision's own _make_layer would leave all but the first undilated)."""
    out_channels = planes * BottleneckBlock.expansion
    downsample = nn.Sequential(
        nn.Conv2D(in_channels, out_channels, 1, bias_attr=False),
        nn.BatchNorm2D(out_channels),
    )
    first = BottleneckBlock(in_channels, planes, 1, downsample, dilation=dilation // 2)
    rest = [
        BottleneckBlock(out_channels, planes, dilation=dilation)
        for _ in range(blocks - 1)
    ]
    return nn.Sequential(first, *rest)


def resnet50_os8() -> nn.Layer:
    """ResNet-50 answering layer4's 2048 channels at 1/8 of the input's size."""
    resnet = vision.resnet50(num_classes=-1, with_pool=False)
    resnet.layer3 = dilated_stage(512, 256, 6, dilation=2)
    resnet.layer4 = dilated_stage(1024, 512, 3, dilation=4)
    resnet.out_channels = 2048
    return resnet


def mobilenet_v3_large_os16() -> nn.Layer:
    """MobileNetV3-Large answering its last 960 channels at 1/16 of the input's size:
    the last three blocks' depthwise convolutions at stride 1 and dilation 2."""
    mobilenet = vision.mobilenet_v3_large(num_classes=-1, with_pool=False)
    for block in mobilenet.blocks[-3:]:
        stem = block.bottleneck_conv  # conv, norm, activation: the conv replaced
        channels, _, kernel, _ = stem[0].weight.shape
        dilated = nn.Conv2D(
            channels,
            channels,
            kernel,
            padding=(kernel - 1) // 2 * 2,
            dilation=2,
            groups=channels,
            bias_attr=False,
        )
        setattr(stem, "0", dilated)
    mobilenet.out_channels = 960
    mobilenet.low_channels = 40
    return mobilenet


def mobilenet_low_high(mobilenet: nn.Layer, x):
    """MobileNetV3-Large's features at output stride 8 (low) and 16 (high)."""
    low = mobilenet.conv(x)
    for block in mobilenet.blocks[:LOW_LEVEL_BLOCKS]:
        low = block(low)
    high = low
    for block in mobilenet.blocks[LOW_LEVEL_BLOCKS:]:
        high = block(high)
    return low, mobilenet.lastconv(high)
