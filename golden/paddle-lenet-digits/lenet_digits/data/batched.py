"""Random crops and flips over a whole batch at once, drawing a choice per image: the
stand-ins augment.py uses for RandomCrop and the flips of paddle.vision.transforms,
which take one image at a time."""

import paddle
import paddle.nn.functional as F
from paddle.vision import transforms

MODES = {"reflect": "reflect", "edge": "replicate", "constant": "constant"}


def batched(op, size: int):
    """A batched stand-in for `op`, or None where it has none."""
    if isinstance(op, transforms.RandomHorizontalFlip):
        return lambda images: random_flip(images, op.prob, axis=3)
    if isinstance(op, transforms.RandomVerticalFlip):
        return lambda images: random_flip(images, op.prob, axis=2)
    if not isinstance(op, transforms.RandomCrop) or tuple(op.size) != (size, size):
        return None
    padding, mode = op.padding or 0, MODES.get(op.padding_mode)
    if not isinstance(padding, int) or mode is None or op.pad_if_needed:
        return None
    if not isinstance(op.fill, int | float):
        return None
    return lambda images: random_crop(images, padding, mode, op.fill)


def random_flip(images, prob: float, axis: int):
    """Mirror each image along `axis` with probability `prob`."""
    flip = paddle.rand([images.shape[0], 1, 1, 1]) < prob
    return paddle.where(flip, images.flip([axis]), images)


def random_crop(images, padding: int, mode: str, fill: float):
    """Pad by `padding` (`mode`), then crop each image back at a random offset."""
    n, c, h, w = images.shape
    if padding == 0:
        return images
    padded = F.pad(images, [padding] * 4, mode=mode, value=fill)
    dy = paddle.randint(0, 2 * padding + 1, [n, 1, 1, 1])
    dx = paddle.randint(0, 2 * padding + 1, [n, 1, 1, 1])
    rows = paddle.arange(h).reshape([1, 1, h, 1]) + dy
    cols = paddle.arange(w).reshape([1, 1, 1, w]) + dx
    index = (rows * padded.shape[3] + cols).expand([n, c, h, w])
    flat = padded.flatten(2)
    return paddle.take_along_axis(flat, index.flatten(2), axis=2).reshape([n, c, h, w])
