"""A COCO annotation file (the `instances_*.json` form) read into one checked split.

The file is parsed once, and every record checked as it is read: a broken file ends in
one line naming the file, the JSON path of the first fault, and the fix. What is odd but
usable is kept and counted in `notes`: boxes reaching out of their image are clipped to
it, annotations whose box has no area left after clipping are dropped, images without
annotations stay (all background).
"""

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import UserError
from .coco_masks import annotation_mask, check_segmentation
from .coco_records import (
    FIX,
    clipped_box,
    load_json,
    read_categories,
    read_images,
    short,
    typed,
)


@dataclass
class CocoSplit:
    images: list[dict]  # {id, file (absolute Path), height, width}
    class_names: list[str]  # category names by ascending category id, no background
    annotations: dict[int, list[dict]]  # image id -> [{category, bbox, segmentation,
    # iscrowd}]; category is the 0-based index into class_names
    notes: dict = field(default_factory=dict)  # counts of what was clipped, dropped


def read_coco(annotation_file: Path, image_dir: Path) -> CocoSplit:
    """The images (found in image_dir), categories and annotations of one file."""
    file, top = annotation_file, load_json(annotation_file)
    for key in ("images", "annotations", "categories"):
        if not isinstance(top.get(key), list):
            raise UserError(
                f"{file}: {key}={short(top.get(key))} is not a list; a COCO file holds"
                f" images, annotations and categories lists; {FIX}"
            )
    index, class_names = read_categories(file, top["categories"])
    images = read_images(file, top["images"], Path(image_dir))
    annotations = {image_id: [] for image_id in images}
    notes = {"clipped_boxes": 0, "dropped_boxes": 0, "crowd_regions": 0}
    for i, item in enumerate(top["annotations"]):
        path = f"annotations[{i}]"
        image = images.get(typed(file, item, path, "image_id", int, "an image id"))
        if image is None:
            raise UserError(
                f"{file}: {path}.image_id={item['image_id']} is not in images; add the"
                " image or remove the annotation"
            )
        category = typed(file, item, path, "category_id", int, "a category id")
        if category not in index:
            ids = sorted(index)
            contiguous = len(ids) == ids[-1] - ids[0] + 1
            known = f"{ids[0]}-{ids[-1]}" if contiguous else short(ids)
            raise UserError(
                f"{file}: {path}.category_id={category} is not in categories (ids"
                f" {known}); fix the id or add the category"
            )
        if item.get("iscrowd", 0) not in (0, 1):
            raise UserError(
                f"{file}: {path}.iscrowd={short(item['iscrowd'])} is not 0 or 1; {FIX}"
            )
        segmentation = item.get("segmentation", [])
        try:
            check_segmentation(segmentation, image["height"], image["width"])
        except ValueError as error:
            raise UserError(f"{file}: {path}.segmentation: {error}; {FIX}") from None
        box = clipped_box(file, path, item.get("bbox"), image)
        notes["dropped_boxes"] += box is None
        if box is None:
            continue
        notes["clipped_boxes"] += box != item["bbox"]
        notes["crowd_regions"] += bool(item.get("iscrowd", 0))
        annotations[image["id"]].append(
            {"category": index[category], "bbox": box, "segmentation": segmentation}
            | {"iscrowd": bool(item.get("iscrowd", 0))}
        )
    notes["empty_images"] = sum(not found for found in annotations.values())
    return CocoSplit(list(images.values()), class_names, annotations, notes)


def image_boxes(split: CocoSplit, image: dict) -> np.ndarray:
    """float32 (k, 5): each box's class index, then x1, y1, x2, y2 in the image's pixels;
    crowd regions are left out (COCO's evaluation ignores them too)."""
    boxes = [
        [a["category"], x, y, x + width, y + height]
        for a in split.annotations.get(image["id"], [])
        if not a["iscrowd"]
        for x, y, width, height in [a["bbox"]]
    ]
    return np.array(boxes, dtype=np.float32).reshape(-1, 5)


def semantic_mask(split: CocoSplit, image: dict) -> np.ndarray:
    """uint8 (height, width): 0 background, k + 1 the k-th class, 255 crowd pixels
    (ignored by the loss and the scores); later annotations paint over earlier ones."""
    mask = np.zeros((image["height"], image["width"]), dtype=np.uint8)
    crowd = np.zeros(mask.shape, dtype=bool)
    for annotation in split.annotations.get(image["id"], []):
        pixels = annotation_mask(annotation["segmentation"], *mask.shape)
        if annotation["iscrowd"]:
            crowd |= pixels
        else:
            mask[pixels] = annotation["category"] + 1
    mask[crowd] = 255
    return mask
