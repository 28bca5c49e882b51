"""`coco`: images with COCO annotation files, as segmentation arrays held in memory.

    data.root/annotations/train.json   data.root/train/<the images it lists>
    data.root/annotations/val.json     data.root/val/<...>     (optional)
    data.root/annotations/test.json    data.root/test/<...>    (optional)

A split without its file is carved from train: a seeded permutation (data.split_seed)
gives test its data.test_fraction first, then val its data.val_fraction. Images are
converted to gray or RGB and resized bilinearly, their masks (data/coco.py:
semantic_mask) by nearest neighbour, so a mask keeps its class ids.
"""

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from ..errors import UserError
from .coco import CocoSplit, image_boxes, read_coco, semantic_mask
from .coco_instances import instance_targets

SPLITS = ("train", "val", "test")
LAYOUT = "annotations/train.json with the images in train/ (val and test likewise)"


@dataclass
class CocoArrays:
    splits: dict[str, tuple[np.ndarray, np.ndarray]]  # split -> (images uint8 N,C,H,W;
    # targets="masks": masks uint8 N,H,W: 0 background, k the class_names[k], 255
    # ignored; targets="boxes": N float32 arrays (k, 5) of class, x1, y1, x2, y2;
    # targets="instances": N dicts of those boxes and their masks: coco_instances.py)
    class_names: list[str]  # masks: "background" first
    notes: dict = field(default_factory=dict)  # what loading found, per split


def load_coco_folder(
    folder: Path,
    image_size: int,
    channels: int,
    val_fraction: float,
    test_fraction: float,
    split_seed: int,
    targets: str = "masks",
) -> CocoArrays:
    """Every split of `folder`, read, checked, decoded and resized, with its `targets`:
    a mask of classes per image, its boxes (scaled as the image is), or its instances.
    """
    folder = Path(folder)
    files = {split: folder / "annotations" / f"{split}.json" for split in SPLITS}
    if not files["train"].is_file():
        raise UserError(
            f"{files['train']}: no such file; {folder} should hold {LAYOUT}"
        )
    read = {s: read_coco(f, folder / s) for s, f in files.items() if f.is_file()}
    names = read["train"].class_names
    for split, coco in read.items():
        if coco.class_names != names:
            raise UserError(
                f"{files[split]} lists the categories {coco.class_names}, but"
                f" {files['train']} lists {names}; every split needs the same categories"
            )
    splits = {s: decode(c, image_size, channels, targets) for s, c in read.items()}
    notes: dict = {split: coco.notes for split, coco in read.items()}
    fractions = {"test": test_fraction, "val": val_fraction}  # test first: see above
    missing = {s: f for s, f in fractions.items() if s not in splits}
    if missing:
        notes["carved_from_train"] = carve(splits, missing, split_seed, files["train"])
    names = ["background", *names] if targets == "masks" else names
    return CocoArrays(splits, names, notes)


def carve(splits: dict, fractions: dict, seed: int, train_file: Path) -> dict:
    """Move each missing split's fraction of train into it; their sizes, by split."""
    images, masks = splits["train"]
    order = np.random.default_rng(seed).permutation(len(images))
    start, sizes = 0, {}
    for split, fraction in fractions.items():
        sizes[split] = max(1, round(len(images) * fraction)) if fraction > 0 else 0
        picked = np.sort(order[start : start + sizes[split]])
        splits[split] = (images[picked], masks[picked])
        start += sizes[split]
    if start >= len(images):
        raise UserError(
            f"{train_file} lists {len(images)} images: too few to carve"
            f" {' and '.join(fractions)} from; add images, or the missing splits' files"
        )
    kept = np.sort(order[start:])
    splits["train"] = (images[kept], masks[kept])
    return sizes


def decode(split: CocoSplit, size: int, channels: int, targets: str) -> tuple:
    """(images uint8 N,C,size,size; masks uint8 N,size,size, N arrays of boxes, or N
    dicts of instances)."""
    images = np.empty((len(split.images), channels, size, size), dtype=np.uint8)
    if targets in ("boxes", "instances"):
        labels = np.empty(len(split.images), dtype=object)  # each image its own count
    else:
        labels = np.empty((len(split.images), size, size), dtype=np.uint8)
    for i, image in enumerate(split.images):
        pixels = np.asarray(read_pixels(image, size, "L" if channels == 1 else "RGB"))
        images[i] = pixels[None] if channels == 1 else pixels.transpose(2, 0, 1)
        if targets == "instances":
            labels[i] = instance_targets(split, image, size)
        elif targets == "boxes":
            across, down = size / image["width"], size / image["height"]
            labels[i] = image_boxes(split, image) * np.float32([1, *[across, down] * 2])
        else:
            mask = Image.fromarray(semantic_mask(split, image))
            labels[i] = np.asarray(mask.resize((size, size), Image.Resampling.NEAREST))
    return images, labels


def read_pixels(image: dict, size: int, mode: str) -> Image.Image:
    """The image file, of the size its annotation file says, in `mode`, resized."""
    try:
        with Image.open(image["file"]) as opened:
            if opened.size != (image["width"], image["height"]):
                raise UserError(
                    f"{image['file']}: {opened.width}x{opened.height} pixels, but its"
                    f" annotation file says {image['width']}x{image['height']}; fix"
                    " that entry's width and height"
                )
            return opened.convert(mode).resize((size, size), Image.Resampling.BILINEAR)
    # PIL says it cannot read a file in each of these ways
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise UserError(
            f"{image['file']}: cannot read this image ({error}); replace it, or remove"
            " it and its annotations from the annotation file"
        ) from None
