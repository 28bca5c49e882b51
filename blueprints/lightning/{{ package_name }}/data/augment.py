"""data.augment as torchvision.transforms.v2 ops on uint8 image batches, on their device.

A v2 op given a whole batch draws one random choice for all of its images, so ops run
image by image; random crops of the image's own size and flips, the common case, run
batched with a choice per image instead (batched.py), many times faster.
"""

import torch
from torchvision.transforms import v2

from ..errors import UserError
from .batched import batched
from .ops import build_op, check_kept, first_line, read_ops

# Not ops of their own: they hold other ops, or code.
NOT_OPS = {
    "Compose",
    "RandomApply",
    "RandomChoice",
    "RandomOrder",
    "Lambda",
    "Transform",
}
OPS = [
    name
    for name, op in vars(v2).items()
    if isinstance(op, type) and issubclass(op, v2.Transform) and name not in NOT_OPS
]


class Augmentation:
    """The training ops of data.augment, for (N, channels, size, size) uint8 batches."""

    def __init__(self, augment, channels: int, size: int) -> None:
        self.steps: list = []
        run: list = []  # consecutive ops with no batched stand-in: image by image
        probe = torch.randint(0, 256, (2, channels, size, size), dtype=torch.uint8)
        with torch.random.fork_rng(devices=[]):  # checking leaves the seed's sequence
            for where, name, args in read_ops(augment, size, OPS):
                op = build_op(v2, OPS, where, name, args, (channels, size))
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

    def __call__(self, images: torch.Tensor) -> torch.Tensor:
        for step in self.steps:
            images = step(images)
        return images


def check_augment(cfg, channels: int, size: int) -> None:
    """Refuse a bad data.augment before the run starts: unknown ops or arguments, values
    the op refuses or that change the images' size."""
    Augmentation(cfg.augment, channels, size)


def per_image(ops: list):
    compose = v2.Compose(ops)
    return lambda images: torch.stack([compose(image) for image in images])


def check(op, probe: torch.Tensor, where: str) -> torch.Tensor:
    """`op` on two images: it must run, and keep their shape and dtype (evaluation
    sees the images as they are, so the model's input size stays the data's)."""
    try:
        out = torch.stack([op(image) for image in probe])
    except Exception as error:  # the library's own words, on one line
        shape = tuple(probe.shape[1:])
        raise UserError(
            f"{where} fails on {shape} images: {first_line(error)}"
        ) from None
    check_kept(where, described(probe), described(out))
    return out


def described(images: torch.Tensor) -> tuple:
    """(shape of one image, dtype's name): the same words as the Paddle twin's."""
    return tuple(images.shape[1:]), str(images.dtype).removeprefix("torch.")
