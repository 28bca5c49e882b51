"""The input pipeline as a layer in front of the network: uint8 in, normalised float
out; while training, the ops of data.augment before normalising, random erasing and
mixing after. Inside the model, it runs on the model's device, and eval, predict and
export get the same normalisation (and no augmentation) for free."""

import paddle
from paddle import nn

from .augment import Augmentation
from .mixing import Mixing, erasing


class InputPipeline(nn.Layer):
    def __init__(self, network: nn.Layer, info, data) -> None:
        """`data`: the data config, whose augment, mixup, cutmix and random_erasing
        shape training."""
        super().__init__()
        self.network = network
        self.register_buffer("mean", paddle.to_tensor(info.mean).reshape([1, -1, 1, 1]))
        self.register_buffer("std", paddle.to_tensor(info.std).reshape([1, -1, 1, 1]))
        self.augment = Augmentation(data.augment, info.channels, info.image_size)
        self.erase = erasing(data.random_erasing)
        self.mix = (
            Mixing(data.mixup, data.cutmix) if data.mixup or data.cutmix else None
        )

    def forward(self, images):
        x = images.astype("float32") / 255
        if not self.training:
            return self.network((x - self.mean) / self.std)
        x = (self.augment(x) - self.mean) / self.std
        if self.erase is not None:
            x = self.erase(x)
        if self.mix is None:
            return self.network(x)
        x, mixing = self.mix(x)
        return self.network(x), mixing  # the loss and metric read the labels through it
