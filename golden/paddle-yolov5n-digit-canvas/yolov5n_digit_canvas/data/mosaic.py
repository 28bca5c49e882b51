"""YOLO's mosaic: four images of a batch in one, a quarter each around a random
centre, each with its mask or boxes; the output keeps the images' size."""

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
    pixels = np.empty_like(image)
    masks = target.dtype == np.uint8
    mask, boxes = np.empty_like(target), []
    for (source, source_target), (region, dx, dy) in zip(
        sources, quarters, strict=True
    ):
        x0, y0, x1, y1 = region
        part, part_target = warp(source, source_target, 1.0, dx, dy, region)
        pixels[:, y0:y1, x0:x1] = part
        if masks:
            mask[y0:y1, x0:x1] = part_target
        else:
            boxes.append(part_target)
    return pixels, mask if masks else np.concatenate(boxes)
