"""YOLOv5 (the v6 layout), written from its published architecture description.

A CSP backbone (C3 blocks) that halves the image five times, SPPF pooling at its end, a
PAN neck that carries the deepest features down to stride 8 and back up again, and a
head that predicts, at strides 8, 16 and 32, three anchor boxes per cell: for each,
x, y, w, h, objectness and one score per class, all raw (before the sigmoid).
Sizes scale depth (bottlenecks per C3) and width (channels) of one layout:
"n" (0.33, 0.25) and "s" (0.33, 0.50).

The layers and their names are the Lightning twin's, so its weights load by name, and
they start as torch starts them, so that the twins learn alike.
"""

import math

import paddle
from paddle import nn

SIZES = {"n": (0.33, 0.25), "s": (0.33, 0.50)}  # size: (depth gain, width gain)
STRIDES = (8, 16, 32)
# YOLOv5's default anchors for 640 px images: (w, h) in pixels, three per stride
ANCHORS = (10, 13, 16, 30, 33, 23, 30, 61, 62, 45, 59, 119, 116, 90, 156, 198, 373, 326)


class Conv(nn.Sequential):
    """Convolution (no bias: batch norm follows), batch norm, SiLU; the padding keeps
    the size, divided by the stride (for the stem's 6x6 too, which pads 2)."""

    def __init__(self, cin: int, cout: int, kernel=1, stride=1) -> None:
        super().__init__(
            nn.Conv2D(cin, cout, kernel, stride, (kernel - 1) // 2, bias_attr=False),
            # paddle's momentum is the share the running statistics keep: torch's 0.03
            nn.BatchNorm2D(cout, momentum=0.97, epsilon=1e-3),
            nn.Silu(),
        )


class Bottleneck(nn.Layer):
    """1x1 then 3x3 convolution, added to its input where `residual`."""

    def __init__(self, channels: int, residual: bool) -> None:
        super().__init__()
        self.body = nn.Sequential(Conv(channels, channels), Conv(channels, channels, 3))
        self.residual = residual

    def forward(self, x: paddle.Tensor) -> paddle.Tensor:
        return x + self.body(x) if self.residual else self.body(x)


class C3(nn.Layer):
    """Cross-stage partial block: half the output channels pass through `depth`
    bottlenecks, the other half go round them; a 1x1 convolution mixes the two."""

    def __init__(self, cin: int, cout: int, depth: int, residual=True) -> None:
        super().__init__()
        half = cout // 2
        blocks = (Bottleneck(half, residual) for _ in range(depth))
        self.through = nn.Sequential(Conv(cin, half), *blocks)
        self.around = Conv(cin, half)
        self.mix = Conv(2 * half, cout)

    def forward(self, x: paddle.Tensor) -> paddle.Tensor:
        return self.mix(paddle.concat([self.through(x), self.around(x)], 1))


class SPPF(nn.Layer):
    """Spatial pyramid pooling, fast: three 5x5 max-pools in a row see 5, 9 and 13
    pixels around each pixel; the reduced input and the three are joined and mixed."""

    def __init__(self, cin: int, cout: int) -> None:
        super().__init__()
        self.reduce = Conv(cin, cin // 2)
        self.pool = nn.MaxPool2D(5, stride=1, padding=2)
        self.mix = Conv(4 * (cin // 2), cout)

    def forward(self, x: paddle.Tensor) -> paddle.Tensor:
        pooled = [self.reduce(x)]
        for _ in range(3):
            pooled.append(self.pool(pooled[-1]))
        return self.mix(paddle.concat(pooled, 1))


class YOLOv5(nn.Layer):
    def __init__(self, num_classes: int, size: str = "n", in_channels: int = 3) -> None:
        super().__init__()
        if size not in SIZES:
            raise ValueError(f"YOLOv5 size {size!r} is not one of {list(SIZES)}")
        depth_gain, width_gain = SIZES[size]
        # 64, 128, ..., 1024 channels, scaled and rounded up to a multiple of 8
        c1, c2, c3, c4, c5 = (math.ceil(width_gain * 8 * 2**k) * 8 for k in range(5))
        n3, n6, n9 = (max(round(n * depth_gain), 1) for n in (3, 6, 9))
        self.num_classes, self.strides = num_classes, STRIDES
        anchors = paddle.to_tensor(ANCHORS, dtype="float32").reshape([3, 3, 2])
        self.register_buffer("anchors", anchors, persistable=False)
        # backbone: stride 2, 4, 8 (P3), 16 (P4), 32 (P5)
        self.stem = Conv(in_channels, c1, 6, 2)
        self.stage2 = nn.Sequential(Conv(c1, c2, 3, 2), C3(c2, c2, n3))
        self.stage3 = nn.Sequential(Conv(c2, c3, 3, 2), C3(c3, c3, n6))
        self.stage4 = nn.Sequential(Conv(c3, c4, 3, 2), C3(c4, c4, n9))
        self.stage5 = nn.Sequential(Conv(c4, c5, 3, 2), C3(c5, c5, n3), SPPF(c5, c5))
        # neck, top-down: P5 up to P4, then up to P3
        self.lateral5 = Conv(c5, c4)
        self.top_down4 = C3(2 * c4, c4, n3, residual=False)
        self.lateral4 = Conv(c4, c3)
        self.top_down3 = C3(2 * c3, c3, n3, residual=False)
        # neck, bottom-up: P3 down to P4, then down to P5
        self.down3 = Conv(c3, c3, 3, 2)
        self.bottom_up4 = C3(2 * c3, c4, n3, residual=False)
        self.down4 = Conv(c4, c4, 3, 2)
        self.bottom_up5 = C3(2 * c4, c5, n3, residual=False)
        outputs = anchors.shape[1] * (5 + num_classes)
        self.head = nn.LayerList(nn.Conv2D(c, outputs, 1) for c in (c3, c4, c5))
        self.start()

    def start(self) -> None:
        """Convolutions' weights (and biases) uniform in +-1/sqrt(fan in), as torch
        starts them (paddle's weights start 2.4 times larger, its biases at zero).
        The head's biases then start from priors, as YOLOv5's do: about 8 objects in a
        640 px image, and each class about equally likely, so that early losses are not
        swamped."""
        for conv in self.sublayers():
            if isinstance(conv, nn.Conv2D):
                bound = 1 / math.sqrt(math.prod(conv.weight.shape[1:]))
                for tensor in [t for t in (conv.weight, conv.bias) if t is not None]:
                    uniform = paddle.uniform(tensor.shape, min=-bound, max=bound)
                    tensor.set_value(uniform)
        for conv, stride in zip(self.head, STRIDES, strict=True):
            bias = conv.bias.numpy().reshape([self.anchors.shape[1], -1])
            bias[:, 4] += math.log(8 / (640 / stride) ** 2)
            bias[:, 5:] += math.log(0.6 / (self.num_classes - 0.99))
            conv.bias.set_value(bias.reshape([-1]))

    def forward(self, x: paddle.Tensor) -> list[paddle.Tensor]:
        height, width = x.shape[-2:]
        if height % 32 or width % 32:
            raise ValueError(f"YOLOv5 input {height}x{width} does not divide by 32")
        p3 = self.stage3(self.stage2(self.stem(x)))
        p4 = self.stage4(p3)
        p5 = self.lateral5(self.stage5(p4))
        p4 = self.lateral4(self.top_down4(paddle.concat([self.up(p5), p4], 1)))
        out3 = self.top_down3(paddle.concat([self.up(p4), p3], 1))
        out4 = self.bottom_up4(paddle.concat([self.down3(out3), p4], 1))
        out5 = self.bottom_up5(paddle.concat([self.down4(out4), p5], 1))
        # enumerate, not zip: paddle.jit.save's converter (export.py) has no strict=
        levels = enumerate((out3, out4, out5))
        return [self.per_anchor(self.head[i](out)) for i, out in levels]

    def up(self, x: paddle.Tensor) -> paddle.Tensor:
        """Nearest-neighbour upsampling to twice the size, asked as a size:
        paddle2onnx 2.1 cannot convert nn.Upsample's scale factor (export.py)."""
        size = [2 * x.shape[-2], 2 * x.shape[-1]]
        return nn.functional.interpolate(x, size=size, mode="nearest")

    def per_anchor(self, scores: paddle.Tensor) -> paddle.Tensor:
        """[N, 3 * (5 + classes), H, W] -> [N, 3, H, W, 5 + classes]."""
        # 0: the batch's size, left open in an export
        scores = scores.reshape([0, self.anchors.shape[1], -1, *scores.shape[-2:]])
        return scores.transpose([0, 1, 3, 4, 2])
