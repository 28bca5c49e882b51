"""Augmentation of training batches whose images come with a mask, boxes or objects
(a box and a mask each) each: the ops of data.augment (data/dense_ops.py) move every
mask and box with its pixels.

In numpy, so that both twins augment alike from one file. An image's pixels and its
mask are sampled by nearest neighbour through the same map, so they stay aligned to
the pixel; boxes go through the map as numbers (data/dense_warp.py).
"""

import numpy as np

from .dense_warp import warp
from .mosaic import mosaic

GRAY_WEIGHTS = np.float32([0.299, 0.587, 0.114])  # ITU-R 601 luma, as PIL's "L"


def augment_batch(images: np.ndarray, targets, seed, ops: list[tuple[str, dict]]):
    """`images` uint8 (N, C, H, W) and their `targets`: masks uint8 (N, H, W), N
    box tables float32 (k, 5) of class, x1, y1, x2, y2 in pixels, or N objects
    {boxes: such a table, masks: uint8 (k, H, W)}; augmented by `ops` (dense_ops)
    with the draws of `seed` (an int, or ints: numpy's default_rng's). Back come the
    images, and masks (N, H, W) or a list of N box tables or objects; the arguments
    are left unchanged."""
    rng = np.random.default_rng(seed)
    masks = isinstance(targets, np.ndarray) and targets.dtype == np.uint8
    pairs = list(zip(images, targets, strict=True))
    for name, args in ops:
        chosen = rng.random(len(pairs)) < args["p"]
        if name == "Mosaic":
            pairs = [
                mosaic(pairs, index, rng) if pick else pair
                for index, (pair, pick) in enumerate(zip(pairs, chosen, strict=True))
            ]
            continue
        apply = OPS[name]
        pairs = [
            apply(*pair, rng, args) if pick else pair
            for pair, pick in zip(pairs, chosen, strict=True)
        ]
    images = np.stack([image for image, _ in pairs])
    targets = [target for _, target in pairs]
    return images, np.stack(targets) if masks else targets


def horizontal_flip(image: np.ndarray, target, rng, args: dict):
    width = image.shape[-1]
    if isinstance(target, dict):  # objects
        masks = target["masks"][..., ::-1].copy()
        return image[..., ::-1].copy(), {
            "boxes": flipped_boxes(target["boxes"], width),
            "masks": masks,
        }
    if target.dtype == np.uint8:  # a mask
        return image[..., ::-1].copy(), target[:, ::-1].copy()
    return image[..., ::-1].copy(), flipped_boxes(target, width)


def flipped_boxes(table: np.ndarray, width: int) -> np.ndarray:
    flipped = table.copy()
    flipped[:, 1], flipped[:, 3] = width - table[:, 3], width - table[:, 1]
    return flipped


def scale_translate(image: np.ndarray, target: np.ndarray, rng, args: dict):
    """Zoomed about the centre, then shifted; what leaves the frame is cut off."""
    height, width = image.shape[-2:]
    scale = rng.uniform(*args["scale"])
    shift = rng.uniform(-args["translate"], args["translate"], size=2)
    dx = width / 2 * (1 - scale) + shift[0] * width
    dy = height / 2 * (1 - scale) + shift[1] * height
    return warp(image, target, scale, dx, dy, (0, 0, width, height))


def color_jitter(image: np.ndarray, target: np.ndarray, rng, args: dict):
    """Brightness, contrast and (for RGB) saturation, each scaled by a factor in
    1 +- its argument; masks and boxes stay as they are."""
    pixels = image.astype(np.float32)
    pixels *= rng.uniform(1 - args["brightness"], 1 + args["brightness"])
    gray = np.tensordot(GRAY_WEIGHTS, pixels, 1) if len(pixels) == 3 else pixels[0]
    contrast = rng.uniform(1 - args["contrast"], 1 + args["contrast"])
    pixels = (pixels - gray.mean()) * contrast + gray.mean()
    if len(pixels) == 3:
        gray = np.tensordot(GRAY_WEIGHTS, pixels, 1)
        saturation = rng.uniform(1 - args["saturation"], 1 + args["saturation"])
        pixels = (pixels - gray) * saturation + gray
    return np.clip(pixels.round(), 0, 255).astype(np.uint8), target


OPS = {
    "HorizontalFlip": horizontal_flip,
    "ScaleTranslate": scale_translate,
    "ColorJitter": color_jitter,
}
