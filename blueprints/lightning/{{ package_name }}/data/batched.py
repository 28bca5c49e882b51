"""Random crops and flips over a whole batch at once, drawing a choice per image: the
stand-ins augment.py uses for v2.RandomCrop and the v2 flips, which given a batch would
crop or flip every image of it alike (and image by image take ~0.1 ms each)."""

import torch
from torchvision.transforms import v2

FOLDS = ("reflect", "edge", "constant")


def batched(op, size: int):
    """A batched stand-in for `op`, or None where it has none."""
    if isinstance(op, v2.RandomHorizontalFlip):
        return lambda images: random_flip(images, op.p, dim=3)
    if isinstance(op, v2.RandomVerticalFlip):
        return lambda images: random_flip(images, op.p, dim=2)
    if not isinstance(op, v2.RandomCrop) or op.size != (size, size):
        return None
    padding = op.padding or [0]
    if len(set(padding)) > 1 or op.padding_mode not in FOLDS or op.pad_if_needed:
        return None
    if not isinstance(op.fill, int | float):
        return None
    return lambda images: random_crop(images, padding[0], op.padding_mode, op.fill)


def random_flip(images: torch.Tensor, p: float, dim: int) -> torch.Tensor:
    """Mirror each image along `dim` with probability p."""
    flip = torch.rand(images.shape[0], 1, 1, 1, device=images.device) < p
    return torch.where(flip, images.flip(dim), images)


def random_crop(images: torch.Tensor, padding: int, mode: str, fill) -> torch.Tensor:
    """Each image shifted by up to `padding` pixels each way, as if padded (`mode`) and
    cropped back to its size: one gather, any dtype, no padded copy."""
    n, c, h, w = images.shape
    device = images.device
    dy = torch.randint(-padding, padding + 1, (n, 1, 1, 1), device=device)
    dx = torch.randint(-padding, padding + 1, (n, 1, 1, 1), device=device)
    rows = torch.arange(h, device=device).view(1, 1, h, 1) + dy
    cols = torch.arange(w, device=device).view(1, 1, 1, w) + dx
    index = (fold(rows, h, mode) * w + fold(cols, w, mode)).expand(-1, c, -1, -1)
    out = images.flatten(2).gather(2, index.flatten(2)).view(n, c, h, w)
    if mode != "constant":
        return out
    inside = (rows >= 0) & (rows < h) & (cols >= 0) & (cols < w)
    return torch.where(inside, out, torch.tensor(fill, dtype=out.dtype, device=device))


def fold(index: torch.Tensor, size: int, mode: str) -> torch.Tensor:
    """Positions outside 0..size-1 mapped inside: mirrored (reflect) or clamped."""
    if mode == "reflect":
        index = index.abs()
        return torch.where(index >= size, 2 * (size - 1) - index, index)
    return index.clamp(0, size - 1)
