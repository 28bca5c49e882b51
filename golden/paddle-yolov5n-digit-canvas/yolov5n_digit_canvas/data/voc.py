"""A Pascal VOC annotation file (Annotations/<id>.xml) read into an image's boxes.

VOC's coordinates are 1-based pixel indices, both ends included: a box from xmin=1 to
xmax=W covers the whole image, which is 0 to W in the pixel-edge coordinates used here,
so xmin and ymin lose 1 and xmax and ymax stay. Every fault ends in one line naming the
file, the element and the fix. What is odd but usable is kept and counted: a box reaching
out of its image is clipped to it, a box with no area left is dropped, and `difficult`
objects are dropped from the truth (as VOC's own evaluation does) unless kept.
"""

import math
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import numpy as np

from ..errors import UserError, did_you_mean

CLASSES = (  # VOC's 20 classes; a mask's value k is the k-th of them, 255 the border
    "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair",
    "cow", "diningtable", "dog", "horse", "motorbike", "person", "pottedplant",
    "sheep", "sofa", "train", "tvmonitor",
)  # fmt: skip
FIX = "fix the file or export it again in Pascal VOC format"


def read_annotation(
    file: Path, class_names: list[str], keep_difficult: bool, notes: dict
) -> tuple[tuple[int, int], np.ndarray]:
    """((width, height) as <size> says, float32 (k, 5) boxes of class index, x1, y1,
    x2, y2); what was clipped, dropped or difficult is added to `notes`."""
    if not file.is_file():
        raise UserError(f"{file}: no such file; place the image's VOC annotation there")
    try:
        root = ElementTree.parse(file).getroot()
    except ElementTree.ParseError as error:
        raise UserError(f"{file}: not XML ({error}); {FIX}") from None
    size = root.find("size")
    if size is None:
        raise UserError(f"{file}: <size> is missing; add <size><width>, <height>")
    width, height = (int(number(file, size, key, "<size>")) for key in SIZE)
    if width <= 0 or height <= 0:
        raise UserError(f"{file}: <size> is {width}x{height}; give the image's pixels")
    boxes = []
    for i, item in enumerate(root.iter("object")):
        where = f"<object> {i + 1}"
        name = (item.findtext("name") or "").strip()
        if name not in class_names:
            hint = did_you_mean(name, class_names)
            raise UserError(
                f"{file}: {where} <name>{name}</name> is not a known class.{hint} Fix"
                " the name, or list your classes in data.classes (data=voc)"
            )
        if (item.findtext("difficult") or "0").strip() == "1":
            notes["difficult_boxes"] = notes.get("difficult_boxes", 0) + 1
            if not keep_difficult:
                continue
        box = item.find("bndbox")
        if box is None:
            raise UserError(f"{file}: {where} has no <bndbox>; {FIX}")
        x1, y1, x2, y2 = (number(file, box, key, f"{where} <bndbox>") for key in BOX)
        corners = [x1 - 1, y1 - 1, x2, y2]  # 1-based pixel indices -> pixel edges
        clipped = np.clip(corners, 0, [width, height] * 2).tolist()
        if clipped[2] <= clipped[0] or clipped[3] <= clipped[1]:
            notes["dropped_boxes"] = notes.get("dropped_boxes", 0) + 1
            continue
        notes["clipped_boxes"] = notes.get("clipped_boxes", 0) + (clipped != corners)
        boxes.append([class_names.index(name), *clipped])
    return (width, height), np.array(boxes, dtype=np.float32).reshape(-1, 5)


SIZE = ("width", "height")
BOX = ("xmin", "ymin", "xmax", "ymax")


def number(file: Path, parent, key: str, where: str) -> float:
    """The number in parent's <key> element."""
    text = parent.findtext(key)
    try:
        value = float(text)
        if math.isfinite(value):
            return value
    except (TypeError, ValueError):
        pass
    found = "missing" if text is None else f"{text.strip()!r}, not a number"
    raise UserError(f"{file}: {where} <{key}> is {found}; {FIX}")
