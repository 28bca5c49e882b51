"""YOLO's mosaic: four images of a batch in one, a quarter each around a random
centre, each with its mask, boxes or objects; the output keeps the images' size."""

import numpy as np

from .dense_warp import warp


def mosaic(pairs: list, index: int, rng: np.random.Generator) -> tuple:
    """(image, target) of pairs[index] in the top-left quarter, three images of the
    batch drawn at random (with replacement) in the others. The centre falls in the
    middle half of each side, so no quarter is a sliver."""
    image, target = pairs[index]
    height, width = image.shape[-2:]
    cx = int(rng.uniform(0.25, 0.75) * width)
    cy = int(rng.uniform(0.25, 0.75) * height)
    sources = [pairs[index], *(pairs[i] for i in rng.integers(len(pairs), size=3))]
    # Each quarter, and where its source's top-left corner goes: the sources meet
    # corner to corner at the centre.
    quarters = [
        ((0, 0, cx, cy), cx - width, cy - height),
        ((cx, 0, width, cy), cx, cy - height),
        ((0, cy, cx, height), cx - width, cy),
        ((cx, cy, width, height), cx, cy),
    ]
    pixels, parts = np.empty_like(image), []
    for (source, source_target), (region, dx, dy) in zip(
        sources, quarters, strict=True
    ):
        x0, y0, x1, y1 = region
        pixels[:, y0:y1, x0:x1], part = warp(source, source_target, 1.0, dx, dy, region)
        parts.append((region, part))
    if isinstance(target, dict):  # objects: each mask back at the whole image's size
        return pixels, {
            "boxes": np.concatenate([part["boxes"] for _, part in parts]),
            "masks": np.concatenate(
                [whole(part["masks"], region, height, width) for region, part in parts]
            ),
        }
    if target.dtype == np.uint8:  # a mask of classes
        mask = np.empty_like(target)
        for (x0, y0, x1, y1), part in parts:
            mask[y0:y1, x0:x1] = part
        return pixels, mask
    return pixels, np.concatenate([part for _, part in parts])


def whole(masks: np.ndarray, region, height: int, width: int) -> np.ndarray:
    """Objects' masks of a region (k, h, w) at the image's size, 0 outside it."""
    x0, y0, x1, y1 = region
    placed = np.zeros((len(masks), height, width), np.uint8)
    placed[:, y0:y1, x0:x1] = masks
    return placed
