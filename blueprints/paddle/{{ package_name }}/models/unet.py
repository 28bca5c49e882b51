"""U-Net (Ronneberger et al., 2015), small: an encoder that halves the image `depth`
times while doubling its channels, a decoder that doubles it back, joining at each size
the encoder's features of that size, and a 1x1 convolution giving each pixel its scores.

Padded convolutions keep the size, so the output is the input's size; the input's
sides must divide by 2**depth (data.image_size, checked before training). The layers
and their names are the Lightning twin's, so its weights load by name, and they start
as torch starts them, so that the twins learn more alike: from paddle's own start
(convolution weights 2.4 times larger, zero biases) a 6-epoch run at 32 px reached
test/miou 0.24, from torch's 0.31, where the Lightning twin reached 0.53.
"""

import math

import paddle
from paddle import nn


def torch_weights() -> paddle.ParamAttr:
    """torch's default for convolutions: uniform in +-1/sqrt(fan_in)."""
    start = nn.initializer.KaimingUniform(
        negative_slope=math.sqrt(5), nonlinearity="leaky_relu"
    )
    return paddle.ParamAttr(initializer=start)


def torch_bias(fan_in: int) -> paddle.ParamAttr:
    """torch's default for a convolution's bias (paddle's is zero)."""
    bound = 1 / math.sqrt(fan_in)
    return paddle.ParamAttr(initializer=nn.initializer.Uniform(-bound, bound))


def double_conv(in_channels: int, out_channels: int) -> nn.Sequential:
    """Two 3x3 convolutions, each followed by batch norm and ReLU."""
    return nn.Sequential(
        nn.Conv2D(
            in_channels,
            out_channels,
            3,
            padding=1,
            weight_attr=torch_weights(),
            bias_attr=False,
        ),
        nn.BatchNorm2D(out_channels),
        nn.ReLU(),
        nn.Conv2D(
            out_channels,
            out_channels,
            3,
            padding=1,
            weight_attr=torch_weights(),
            bias_attr=False,
        ),
        nn.BatchNorm2D(out_channels),
        nn.ReLU(),
    )


class Up(nn.Layer):
    """Double the size (a learned 2x2 transposed convolution), join the encoder's
    features of that size, and mix them."""

    def __init__(self, in_channels: int, out_channels: int) -> None:
        super().__init__()
        # torch counts a transposed convolution's fan-in over its output channels
        self.up = nn.Conv2DTranspose(
            in_channels,
            out_channels,
            2,
            stride=2,
            weight_attr=torch_weights(),
            bias_attr=torch_bias(out_channels * 2 * 2),
        )
        self.conv = double_conv(2 * out_channels, out_channels)

    def forward(self, x: paddle.Tensor, skip: paddle.Tensor) -> paddle.Tensor:
        return self.conv(paddle.concat([skip, self.up(x)], axis=1))


class UNet(nn.Layer):
    def __init__(
        self, in_channels: int, num_classes: int, width: int = 16, depth: int = 3
    ) -> None:
        super().__init__()
        widths = [width * 2**level for level in range(depth + 1)]
        self.stem = double_conv(in_channels, width)
        self.downs = nn.LayerList(
            [double_conv(widths[level], widths[level + 1]) for level in range(depth)]
        )
        self.ups = nn.LayerList(
            [Up(widths[level + 1], widths[level]) for level in reversed(range(depth))]
        )
        self.head = nn.Conv2D(
            width,
            num_classes,
            1,
            weight_attr=torch_weights(),
            bias_attr=torch_bias(width),
        )
        self.pool = nn.MaxPool2D(2)

    def forward(self, x: paddle.Tensor) -> paddle.Tensor:
        features = [self.stem(x)]
        for down in self.downs:
            features.append(down(self.pool(features[-1])))
        x = features.pop()
        for up in self.ups:
            x = up(x, features.pop())
        return self.head(x)
