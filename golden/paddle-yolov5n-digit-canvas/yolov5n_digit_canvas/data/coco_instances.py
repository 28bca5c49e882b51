"""Each object of an image on its own, for instance segmentation: its class, its box
and its mask, at the size the network sees (framework-free: numpy arrays)."""

import numpy as np
from PIL import Image

from .coco import CocoSplit
from .coco_masks import annotation_mask


def instance_targets(split: CocoSplit, image: dict, size: int) -> dict:
    """{"boxes": float32 (k, 5) of class, x1, y1, x2, y2 in pixels of the resized
    image; "masks": uint8 (k, size, size), 1 on the object}. Crowd regions are left
    out (COCO's evaluation ignores them too), and so are objects whose mask vanishes
    at this size."""
    boxes, masks = [], []
    height, width = image["height"], image["width"]
    scale = np.float32([size / width, size / height] * 2)
    for annotation in split.annotations.get(image["id"], []):
        if annotation["iscrowd"]:
            continue
        pixels = annotation_mask(annotation["segmentation"], height, width)
        mask = Image.fromarray(pixels.astype(np.uint8)).resize(
            (size, size), Image.Resampling.NEAREST
        )
        mask = np.asarray(mask)
        if not mask.any():
            continue
        x, y, box_width, box_height = annotation["bbox"]
        corners = np.float32([x, y, x + box_width, y + box_height]) * scale
        boxes.append([annotation["category"], *corners])
        masks.append(mask)
    return {
        "boxes": np.array(boxes, dtype=np.float32).reshape(-1, 5),
        "masks": np.array(masks, dtype=np.uint8).reshape(-1, size, size),
    }
