"""The input pipeline as a layer in front of the network: uint8 in, normalised float out,
with random crop + horizontal flip while training. Inside the model, it runs on the
model's device, and eval, predict and export get the same normalisation for free."""

import paddle
import paddle.nn.functional as F
from paddle import nn


class InputPipeline(nn.Layer):
    def __init__(self, network: nn.Layer, info, augment) -> None:
        super().__init__()
        self.network = network
        self.register_buffer("mean", paddle.to_tensor(info.mean).reshape([1, -1, 1, 1]))
        self.register_buffer("std", paddle.to_tensor(info.std).reshape([1, -1, 1, 1]))
        self.crop_padding = augment.random_crop_padding if augment else 0
        self.flip = augment.horizontal_flip if augment else False

    def forward(self, images):
        x = (images.astype("float32") / 255 - self.mean) / self.std
        if self.training and self.crop_padding > 0:
            x = random_crop(x, self.crop_padding)
        if self.training and self.flip:
            x = random_flip(x)
        return self.network(x)


def random_crop(images, padding: int):
    """Pad by `padding` (reflecting the border), then crop each image at a random offset."""
    n, c, h, w = images.shape
    padded = F.pad(images, [padding] * 4, mode="reflect")
    dy = paddle.randint(0, 2 * padding + 1, [n, 1, 1, 1])
    dx = paddle.randint(0, 2 * padding + 1, [n, 1, 1, 1])
    rows = paddle.arange(h).reshape([1, 1, h, 1]) + dy
    cols = paddle.arange(w).reshape([1, 1, 1, w]) + dx
    index = (rows * padded.shape[3] + cols).expand([n, c, h, w])
    flat = padded.flatten(2)
    return paddle.take_along_axis(flat, index.flatten(2), axis=2).reshape([n, c, h, w])


def random_flip(images):
    """Mirror a random half of the images left to right."""
    flip = paddle.rand([images.shape[0], 1, 1, 1]) < 0.5
    return paddle.where(flip, images.flip([3]), images)
