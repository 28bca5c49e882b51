"""`digit_canvas`: the offline default for dense tasks, written once in the coco layout.

scikit-learn's real handwritten digits (8 x 8), upscaled to 16-28 px and painted in a
random colour onto 64 x 64 noisy dark canvases, 1 to 3 digits a canvas with their boxes
apart. The test canvases use only digits held out from the train and val canvases (a
fixed stratified fifth of each digit's images), so the test score is on unseen
handwriting. Written by data/coco_folder.py's rules: annotations/{train,val,test}.json
beside train/, val/, test/; the same seed gives the same bytes every time.
"""

import json
import shutil
from pathlib import Path

import numpy as np
from PIL import Image
from sklearn.datasets import load_digits

from ..errors import UserError
from .coco_masks import mask_to_polygons, mask_to_rle
from .folder_lock import locked_folder

SIZE = 64  # pixels a side of a canvas
SIDES = (16, 28)  # smallest and largest digit, in pixels a side
COUNTS = {"train": 1500, "val": 300, "test": 300}
SEED = 0
CATEGORIES = [
    {"id": k + 1, "name": str(k), "supercategory": "digit"} for k in range(10)
]


def write_digit_canvas(folder: Path) -> None:
    """`folder` holding the dataset; written once (in folder.part, then renamed), while
    parallel runs wait for it."""
    folder = Path(folder)
    complete = folder / "annotations" / "test.json"  # the last file written
    if complete.is_file():
        return
    with locked_folder(folder.parent):
        if complete.is_file():
            return
        if folder.exists():
            raise UserError(
                f"{folder} is not a complete digit_canvas dataset (no {complete.name}):"
                " remove it, and it is written again"
            )
        part = folder.parent / (folder.name + ".part")
        shutil.rmtree(part, ignore_errors=True)  # left by a run killed while writing
        write_splits(part)
        part.rename(folder)


def write_splits(root: Path) -> None:
    (root / "annotations").mkdir(parents=True)
    pools = digit_pools()
    for stream, (split, count) in enumerate(COUNTS.items()):
        rng = np.random.default_rng([SEED, stream])
        (root / split).mkdir()
        coco = {"images": [], "annotations": [], "categories": CATEGORIES}
        for image_id in range(1, count + 1):
            pixels, digits = canvas(rng, *pools[split == "test"])
            name = f"{image_id:05d}.png"
            Image.fromarray(pixels).save(root / split / name)
            coco["images"].append(
                {"id": image_id, "file_name": name, "height": SIZE, "width": SIZE}
            )
            for label, mask in digits:
                number = len(coco["annotations"]) + 1
                coco["annotations"].append(annotation(number, image_id, label, mask))
        (root / "annotations" / f"{split}.json").write_text(json.dumps(coco))


def digit_pools() -> tuple[tuple, tuple]:
    """(images in 0..1, labels) for train and val canvases, and for test canvases: a
    fixed fifth of each digit's images is held out for test."""
    digits = load_digits()
    images, labels = (digits.images / 16).astype(np.float32), digits.target
    held_out = np.zeros(len(labels), dtype=bool)
    rng = np.random.default_rng(SEED)
    for label in range(10):
        members = np.flatnonzero(labels == label)
        held_out[rng.choice(members, len(members) // 5, replace=False)] = True
    return (images[~held_out], labels[~held_out]), (images[held_out], labels[held_out])


def canvas(rng, images: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, list]:
    """uint8 (SIZE, SIZE, 3) pixels, and (label, bool mask) per digit painted."""
    pixels = rng.uniform(0, 90, 3) + rng.normal(0, 12, (SIZE, SIZE, 3))
    boxes, digits = [], []
    for _ in range(rng.integers(1, 4)):
        side = int(rng.integers(SIDES[0], SIDES[1] + 1))
        x, y = (int(v) for v in rng.integers(0, SIZE - side + 1, 2))
        if any(x < bx + bs and bx < x + side and y < by + bs and by < y + side
               for bx, by, bs in boxes):  # fmt: skip
            continue  # would overlap a digit already there: one digit fewer
        boxes.append((x, y, side))
        pick = rng.integers(len(labels))
        ink = Image.fromarray(images[pick]).resize((side, side), Image.BILINEAR)
        ink = np.asarray(ink)[..., None]
        region = pixels[y : y + side, x : x + side]
        region += ink * (rng.uniform(140, 255, 3) - region)  # the colour, by ink
        mask = np.zeros((SIZE, SIZE), dtype=bool)
        mask[y : y + side, x : x + side] = ink[..., 0] > 0.5
        digits.append((int(labels[pick]), mask))
    return np.clip(pixels, 0, 255).astype(np.uint8), digits


def annotation(number: int, image_id: int, label: int, mask: np.ndarray) -> dict:
    """A COCO annotation; odd ones as polygons, even ones as RLE: both forms read."""
    rows, columns = np.nonzero(mask)
    x, y = int(columns.min()), int(rows.min())
    box = [x, y, int(columns.max()) + 1 - x, int(rows.max()) + 1 - y]
    segmentation = mask_to_polygons(mask) if number % 2 else mask_to_rle(mask)
    return {
        "id": number, "image_id": image_id, "category_id": label + 1, "bbox": box,
        "area": int(mask.sum()), "iscrowd": 0, "segmentation": segmentation,
    }  # fmt: skip
