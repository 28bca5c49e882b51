"""data.augment as paddle.vision.transforms ops on float image batches in 0..1, on the
model's device (the transforms' colour ops take no uint8 tensors).

The transforms take one image each: ops run image by image, each image drawing its own
random choice; random crops of the image's own size and flips, the common case, run
batched with a choice per image instead (batched.py), many times faster.
"""

import random
from functools import partial

import numpy as np
import paddle
from paddle.vision import transforms

from ..errors import UserError
from .batched import batched
from .ops import build_op, check_kept, first_line, read_ops

# Not ops of their own: a base class, a container, layout changes.
NOT_OPS = {"BaseTransform", "Compose", "ToTensor", "Transpose"}
OPS = [
    name
    for name, op in vars(transforms).items()
    if isinstance(op, type)
    and issubclass(op, transforms.BaseTransform)
    and name not in NOT_OPS
]


class Augmentation:
    """The training ops of data.augment, for (N, channels, size, size) float batches."""

    def __init__(self, augment, channels: int, size: int) -> None:
        self.steps: list = []
        run: list = []  # consecutive ops with no batched stand-in: image by image
        probe = paddle.rand([2, channels, size, size])
        states = random.getstate(), np.random.get_state(), paddle.get_rng_state()
        image, adapt = (channels, size), partial(in_unit_range, channels=channels)
        for where, name, args in read_ops(augment, size, OPS):
            op = build_op(transforms, OPS, where, name, args, image, adapt)
            probe = check(op, probe, where)
            fast = batched(op, size)
            if fast is None:
                run.append(op)
                continue
            if run:
                self.steps.append(per_image(run))
                run = []
            self.steps.append(fast)
        if run:
            self.steps.append(per_image(run))
        random.setstate(states[0])  # checking leaves the seed's sequence as it was
        np.random.set_state(states[1])
        paddle.set_rng_state(states[2])

    def __call__(self, images):
        for step in self.steps:
            images = step(images)
        return images


def per_image(ops: list):
    compose = transforms.Compose(ops)
    return lambda images: paddle.stack([compose(image) for image in images])


def in_unit_range(name: str, args: dict, channels: int) -> dict:
    """`args` with its pixel values as the images here hold them, in 0..1: data.augment
    gives them in 0..255 on both twins (fill; RandomErasing's value). RandomAffine's
    fill one per channel: paddle's expands a single value to 3 channels, and fails on
    gray images."""
    if name == "RandomAffine" and type(fill := args.get("fill", 0)) in (int, float):
        args = {**args, "fill": [fill] * channels}
    pixels = {"fill", "value"} if name == "RandomErasing" else {"fill"}
    return {key: scaled(args[key]) if key in pixels else args[key] for key in args}


def scaled(value):
    if isinstance(value, list | tuple):
        return [scaled(item) for item in value]
    return value / 255 if type(value) in (int, float) else value  # 'random' as it is


def check(op, probe, where: str):
    """`op` on two images: it must run, and keep their shape and dtype (evaluation
    sees the images as they are, so the model's input size stays the data's)."""
    try:
        out = paddle.stack([op(image) for image in probe])
    except Exception as error:  # the library's own words, on one line
        shape = tuple(probe.shape[1:])
        raise UserError(
            f"{where} fails on {shape} images: {first_line(error)}"
        ) from None
    check_kept(where, described(probe), described(out))
    return out


def described(images) -> tuple:
    """(shape of one image, dtype's name): the same words as the Lightning twin's."""
    return tuple(images.shape[1:]), str(images.dtype).removeprefix("paddle.")
