"""An image moved with its mask, boxes or objects: source pixel (x, y) lands at
(x * scale + dx, y * scale + dy), and the output is seen through a region of itself
(the whole image, or a mosaic's quarter: data/mosaic.py)."""

import numpy as np

FILL = 114  # image pixels from outside the source: YOLOv5's gray
IGNORED = 255  # mask value of pixels the loss and the scores skip (segmenter.py)
MIN_SIDE = 2.0  # pixels: a box cut thinner than this is dropped
MIN_KEPT = 0.1  # and one with less than this share of its area left in the region


def warp(image: np.ndarray, target, scale: float, dx, dy, region):
    """The pixels and the mask (uint8 H, W), the boxes (float32 k, 5) or the objects
    ({boxes, masks: uint8 k, H, W}) of `region` (x0, y0, x1, y1, whole pixels) of the
    output. Pixels are sampled by nearest neighbour, masks through the same indices;
    what the source lacks is FILL for pixels, IGNORED for a mask of classes, and 0
    (not the object) for an object's mask."""
    x0, y0, x1, y1 = region
    height, width = image.shape[-2:]
    cols = np.floor((np.arange(x0, x1) + 0.5 - dx) / scale).astype(np.int64)
    rows = np.floor((np.arange(y0, y1) + 0.5 - dy) / scale).astype(np.int64)
    inside = ((rows >= 0) & (rows < height))[:, None] & ((cols >= 0) & (cols < width))
    rows, cols = rows.clip(0, height - 1)[:, None], cols.clip(0, width - 1)[None]
    pixels = np.where(inside, image[:, rows, cols], np.uint8(FILL))
    if isinstance(target, dict):  # objects: each box and its mask kept or dropped
        boxes, keep = move_boxes(target["boxes"], scale, dx, dy, region)
        masks = np.where(inside, target["masks"][keep][:, rows, cols], np.uint8(0))
        return pixels, {"boxes": boxes, "masks": masks}
    if target.dtype == np.uint8:  # a mask
        return pixels, np.where(inside, target[rows, cols], np.uint8(IGNORED))
    return pixels, move_boxes(target, scale, dx, dy, region)[0]


def move_boxes(table: np.ndarray, scale: float, dx, dy, region):
    """Boxes (class, x1, y1, x2, y2) moved as the pixels, cut to `region`, less those
    too thin or with too little of themselves left; and which were kept."""
    moved = table.astype(np.float32)  # a copy
    moved[:, 1:] = table[:, 1:] * scale + np.float32([dx, dy, dx, dy])
    area = (moved[:, 3] - moved[:, 1]) * (moved[:, 4] - moved[:, 2])
    moved[:, 1::2] = moved[:, 1::2].clip(region[0], region[2])
    moved[:, 2::2] = moved[:, 2::2].clip(region[1], region[3])
    sides = moved[:, 3:5] - moved[:, 1:3]
    keep = (sides >= MIN_SIDE).all(axis=1) & (sides.prod(axis=1) >= MIN_KEPT * area)
    return moved[keep], keep
