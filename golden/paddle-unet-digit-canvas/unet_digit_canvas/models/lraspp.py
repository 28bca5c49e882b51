"""LR-ASPP (Howard et al., 2019, "Searching for MobileNetV3") as torchvision builds
it: MobileNetV3-Large's last features, gated by their image-wide mean, upsampled onto
its features at 1/8 of the input's size; each gives scores per pixel, and their sum is
upsampled to the input's size. Written for paddle; the layers match torchvision's
LRASPPHead (128 channels) and their parameter counts equal.
"""

import paddle
import paddle.nn.functional as F
from paddle import nn

from .backbones import mobilenet_low_high, mobilenet_v3_large_os16

CHANNELS = 128


class LRASPPHead(nn.Layer):
    def __init__(self, low_channels: int, high_channels: int, num_classes: int):
        super().__init__()
        self.cbr = nn.Sequential(
            nn.Conv2D(high_channels, CHANNELS, 1, bias_attr=False),
            nn.BatchNorm2D(CHANNELS),
            nn.ReLU(),
        )
        self.scale = nn.Sequential(
            nn.AdaptiveAvgPool2D(1),
            nn.Conv2D(high_channels, CHANNELS, 1, bias_attr=False),
            nn.Sigmoid(),
        )
        self.low_classifier = nn.Conv2D(low_channels, num_classes, 1)
        self.high_classifier = nn.Conv2D(CHANNELS, num_classes, 1)

    def forward(self, low: paddle.Tensor, high: paddle.Tensor) -> paddle.Tensor:
        gated = self.cbr(high) * self.scale(high)
        gated = F.interpolate(gated, size=low.shape[-2:], mode="bilinear")
        return self.low_classifier(low) + self.high_classifier(gated)


class LRASPP(nn.Layer):
    def __init__(self, num_classes: int) -> None:
        super().__init__()
        self.backbone = mobilenet_v3_large_os16()
        channels = self.backbone.low_channels, self.backbone.out_channels
        self.classifier = LRASPPHead(*channels, num_classes)

    def forward(self, x: paddle.Tensor) -> paddle.Tensor:
        scores = self.classifier(*mobilenet_low_high(self.backbone, x))
        return F.interpolate(scores, size=x.shape[-2:], mode="bilinear")


def lraspp_mobilenet_v3_large(num_classes: int) -> LRASPP:
    return LRASPP(num_classes)
