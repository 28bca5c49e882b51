"""EfficientNet-B0, layer for layer torchvision's `efficientnet_b0` (paddle.vision has none).

MBConv blocks (1x1 expand, depthwise conv, squeeze-and-excitation, 1x1 project) with SiLU,
stochastic depth on the residual branches, dropout 0.2 before the classifier, and the
same initialisation. BatchNorm keeps Paddle's defaults, which are torch's: epsilon 1e-5,
momentum 0.9 here == 0.1 there. The layer names are torchvision's, so its ImageNet
weights load by name (models/torch_weights.py maps the few that differ).
"""

import math

import paddle
from paddle import nn

STAGES = [  # expand ratio, kernel, first stride, in, out channels, blocks (paper, Table 1)
    (1, 3, 1, 32, 16, 1),
    (6, 3, 2, 16, 24, 2),
    (6, 5, 2, 24, 40, 2),
    (6, 3, 2, 40, 80, 3),
    (6, 5, 1, 80, 112, 3),
    (6, 5, 2, 112, 192, 4),
    (6, 3, 1, 192, 320, 1),
]
STOCHASTIC_DEPTH = 0.2  # drop probability grows linearly with depth, up to this


class EfficientNetB0(nn.Layer):
    def __init__(self, num_classes: int = 1000) -> None:
        super().__init__()
        total, index = sum(stage[-1] for stage in STAGES), 0
        features = [conv_norm(3, 32, 3, stride=2)]
        for expand, kernel, stride, in_channels, out_channels, repeats in STAGES:
            stage = []
            for i in range(repeats):  # a stage's first block changes size and stride
                drop = STOCHASTIC_DEPTH * index / total
                channels, step = (in_channels, stride) if i == 0 else (out_channels, 1)
                stage.append(MBConv(channels, out_channels, expand, kernel, step, drop))
                index += 1
            features.append(nn.Sequential(*stage))
        features.append(conv_norm(320, 1280, 1))  # 4x the last stage's width
        self.features = nn.Sequential(*features)
        self.avgpool = nn.AdaptiveAvgPool2D(1)
        self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(1280, num_classes))
        for layer in self.sublayers():
            initialise_like_torchvision(layer)

    def forward(self, x):
        return self.classifier(paddle.flatten(self.avgpool(self.features(x)), 1))


class MBConv(nn.Layer):
    def __init__(self, in_channels, out_channels, expand, kernel, stride, drop) -> None:
        super().__init__()
        self.use_res_connect = stride == 1 and in_channels == out_channels
        wide = in_channels * expand  # already a multiple of 8, as torchvision rounds to
        layers = [conv_norm(in_channels, wide, 1)] if expand != 1 else []
        layers += [
            conv_norm(wide, wide, kernel, stride=stride, groups=wide),
            SqueezeExcitation(wide, max(1, in_channels // 4)),
            conv_norm(wide, out_channels, 1, activation=False),
        ]
        self.block = nn.Sequential(*layers)
        self.stochastic_depth = StochasticDepth(drop)

    def forward(self, x):
        result = self.block(x)
        if self.use_res_connect:
            result = self.stochastic_depth(result) + x
        return result


class SqueezeExcitation(nn.Layer):
    """Channel weights from the pooled image: 1x1 convs down and up, then a sigmoid."""

    def __init__(self, channels: int, squeezed: int) -> None:
        super().__init__()
        self.avgpool = nn.AdaptiveAvgPool2D(1)
        self.fc1 = nn.Conv2D(channels, squeezed, 1)
        self.fc2 = nn.Conv2D(squeezed, channels, 1)
        self.activation = nn.Silu()
        self.scale_activation = nn.Sigmoid()

    def forward(self, x):
        scale = self.fc2(self.activation(self.fc1(self.avgpool(x))))
        return x * self.scale_activation(scale)


class StochasticDepth(nn.Layer):
    """In training, drops the residual branch of whole images with probability p."""

    def __init__(self, p: float) -> None:
        super().__init__()
        self.p = p

    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        keep = paddle.full([x.shape[0], 1, 1, 1], 1.0 - self.p)
        return x * (paddle.bernoulli(keep) / (1.0 - self.p)).astype(x.dtype)


def conv_norm(in_channels, out_channels, kernel, stride=1, groups=1, activation=True):
    """Conv (no bias), BatchNorm and SiLU: torchvision's Conv2dNormActivation."""
    padding = (kernel - 1) // 2
    conv = nn.Conv2D(
        in_channels,
        out_channels,
        kernel,
        stride,
        padding,
        groups=groups,
        bias_attr=False,
    )
    layers = [conv, nn.BatchNorm2D(out_channels)] + ([nn.Silu()] if activation else [])
    return nn.Sequential(*layers)


def initialise_like_torchvision(layer: nn.Layer) -> None:
    """Convs: He normal over fan-out; the classifier: uniform in +-1/sqrt(classes)."""
    if isinstance(layer, nn.Conv2D):
        out_channels, _, height, width = layer.weight.shape
        std = math.sqrt(2.0 / (out_channels * height * width))
        nn.initializer.Normal(0.0, std)(layer.weight)
    elif isinstance(layer, nn.Linear):
        bound = 1.0 / math.sqrt(layer.weight.shape[1])
        nn.initializer.Uniform(-bound, bound)(layer.weight)
    else:
        return
    if layer.bias is not None:
        nn.initializer.Constant(0.0)(layer.bias)
