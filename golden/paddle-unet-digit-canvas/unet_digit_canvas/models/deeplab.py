"""DeepLabV3 (Chen et al., 2017) as torchvision builds it: atrous spatial pyramid
pooling (ASPP) over a backbone's last features, scores per pixel upsampled to the
input's size. Written for paddle; the layers and their names match torchvision's
DeepLabHead (rates 12, 24 and 36, 256 channels), parameter for parameter.
"""

import paddle
import paddle.nn.functional as F
from paddle import nn

from .backbones import mobilenet_v3_large_os16, resnet50_os8

CHANNELS = 256
RATES = (12, 24, 36)


def conv_bn_relu(in_channels: int, kernel: int = 1, dilation: int = 1):
    return nn.Sequential(
        nn.Conv2D(
            in_channels,
            CHANNELS,
            kernel,
            padding=dilation * (kernel - 1) // 2,
            dilation=dilation,
            bias_attr=False,
        ),
        nn.BatchNorm2D(CHANNELS),
        nn.ReLU(),
    )


class ImagePooling(nn.Sequential):
    """ASPP's branch that sees the whole image: its mean, spread back over it. Layers
    numbered as torchvision's ASPPPooling, so its DeepLabV3 files load by name."""

    def __init__(self, in_channels: int) -> None:
        super().__init__(nn.AdaptiveAvgPool2D(1), *conv_bn_relu(in_channels).children())

    def forward(self, x: paddle.Tensor) -> paddle.Tensor:
        pooled = super().forward(x)
        return F.interpolate(pooled, size=x.shape[-2:], mode="bilinear")


class ASPP(nn.Layer):
    """A 1x1 convolution, three 3x3 ones at growing dilation and the image's mean,
    side by side, projected back to 256 channels."""

    def __init__(self, in_channels: int) -> None:
        super().__init__()
        self.convs = nn.LayerList(
            [conv_bn_relu(in_channels)]
            + [conv_bn_relu(in_channels, 3, rate) for rate in RATES]
            + [ImagePooling(in_channels)]
        )
        self.project = nn.Sequential(
            nn.Conv2D(CHANNELS * (len(RATES) + 2), CHANNELS, 1, bias_attr=False),
            nn.BatchNorm2D(CHANNELS),
            nn.ReLU(),
            nn.Dropout(0.5),
        )

    def forward(self, x: paddle.Tensor) -> paddle.Tensor:
        return self.project(paddle.concat([conv(x) for conv in self.convs], axis=1))


class DeepLabV3(nn.Layer):
    def __init__(self, backbone: nn.Layer, num_classes: int) -> None:
        super().__init__()
        self.backbone = backbone
        self.classifier = nn.Sequential(  # torchvision's DeepLabHead
            ASPP(backbone.out_channels),
            nn.Conv2D(CHANNELS, CHANNELS, 3, padding=1, bias_attr=False),
            nn.BatchNorm2D(CHANNELS),
            nn.ReLU(),
            nn.Conv2D(CHANNELS, num_classes, 1),
        )

    def forward(self, x: paddle.Tensor) -> paddle.Tensor:
        scores = self.classifier(self.backbone(x))
        return F.interpolate(scores, size=x.shape[-2:], mode="bilinear")


def deeplabv3_resnet50(num_classes: int) -> DeepLabV3:
    return DeepLabV3(resnet50_os8(), num_classes)


def deeplabv3_mobilenet_v3_large(num_classes: int) -> DeepLabV3:
    return DeepLabV3(mobilenet_v3_large_os16(), num_classes)
