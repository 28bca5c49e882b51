"""`voc`: a Pascal VOC folder (VOCdevkit/VOC2012's layout) as arrays held in memory.

    Annotations/<id>.xml            each image's size and boxes (detection: data/voc.py)
    JPEGImages/<id>.jpg             the images
    SegmentationClass/<id>.png      each image's classes (segmentation): a palette or
                                    gray PNG, 0 background, k the k-th class, 255 VOC's
                                    void border (ignored by the loss and the scores)
    ImageSets/Main/train.txt        the ids of the training images (detection), and
    ImageSets/Main/val.txt          of the validation images (optional)
    ImageSets/Segmentation/...      the same, for segmentation

data.root is that folder, or holds it as VOC2012/ or VOCdevkit/VOC2012/ (found by
data/coco_sets.py). VOC publishes
no test annotations: test is carved from train by data.test_fraction (val too, by
data.val_fraction, where val.txt is missing), as data/coco_folder.py carves. Images and
masks are resized as there; boxes are scaled with their image.
"""

from pathlib import Path

import numpy as np
from PIL import Image

from ..errors import UserError
from .coco_folder import CocoArrays, carve, read_pixels
from .voc import read_annotation

LISTS = {"boxes": "Main", "masks": "Segmentation"}  # ImageSets/<this>/ by targets
LAYOUT = "Annotations/, JPEGImages/, SegmentationClass/ and ImageSets/"
BOX_NOTES = ("clipped_boxes", "dropped_boxes", "difficult_boxes")  # data/voc.py's
BROKEN = (OSError, SyntaxError, ValueError, Image.DecompressionBombError)


def load_voc_folder(folder: Path, cfg, targets: str, class_names) -> CocoArrays:
    """Every split of `folder` with its targets ("masks" or "boxes"), as coco_folder's
    load_coco_folder gives them; cfg: image_size, channels, val_fraction,
    test_fraction, split_seed, keep_difficult."""
    lists = folder / "ImageSets" / LISTS[targets]
    if not (lists / "train.txt").is_file():
        raise UserError(
            f"{lists / 'train.txt'}: no such file; list the training images' ids there"
            f" (one a line), with {LAYOUT} in {folder}"
        )
    splits, notes = {}, {}
    for split in ("train", "val"):
        if (lists / f"{split}.txt").is_file():
            notes[split] = dict.fromkeys(BOX_NOTES if targets == "boxes" else [], 0)
            found = (lists / f"{split}.txt", folder, cfg, targets, list(class_names))
            splits[split] = decode(*found, notes[split])
    fractions = {"test": cfg.test_fraction, "val": cfg.val_fraction}  # test first
    missing = {s: f for s, f in fractions.items() if s not in splits}
    seed, listed = cfg.split_seed, lists / "train.txt"
    notes["carved_from_train"] = carve(splits, missing, seed, listed)
    names = ["background", *class_names] if targets == "masks" else list(class_names)
    return CocoArrays(splits, names, notes)


def decode(listed: Path, folder, cfg, targets, class_names, notes: dict) -> tuple:
    """(images uint8 N,C,size,size; masks uint8 N,size,size, or N arrays of boxes)."""
    ids = [line.split()[0] for line in listed.read_text().splitlines() if line.split()]
    if not ids:
        raise UserError(f"{listed} lists no image ids; list one a line")
    size, channels = cfg.image_size, cfg.channels
    images = np.empty((len(ids), channels, size, size), dtype=np.uint8)
    if targets == "boxes":
        labels = np.empty(len(ids), dtype=object)  # each image its own count
    else:
        labels = np.empty((len(ids), size, size), dtype=np.uint8)
    for i, name in enumerate(ids):
        image = {"file": folder / "JPEGImages" / f"{name}.jpg"}
        if not image["file"].is_file():
            raise UserError(
                f"{image['file']}: no such file; place the image there or remove"
                f" {name} from {listed}"
            )
        if targets == "boxes":
            xml, keep = folder / "Annotations" / f"{name}.xml", cfg.keep_difficult
            shape, boxes = read_annotation(xml, class_names, keep, notes)
            image["width"], image["height"] = shape
            labels[i] = boxes * np.float32([1, *[size / shape[0], size / shape[1]] * 2])
        else:
            png = folder / "SegmentationClass" / f"{name}.png"
            mask = Image.fromarray(read_mask(png, image, len(class_names)))
            labels[i] = np.asarray(mask.resize((size, size), Image.Resampling.NEAREST))
        pixels = np.asarray(read_pixels(image, size, "L" if channels == 1 else "RGB"))
        images[i] = pixels[None] if channels == 1 else pixels.transpose(2, 0, 1)
    return images, labels


def read_mask(png: Path, image: dict, classes: int) -> np.ndarray:
    """uint8 (height, width) class indices of the image's mask, checked against it;
    image gets its width and height."""
    try:
        with Image.open(image["file"]) as photo:
            image["width"], image["height"] = photo.size
    except BROKEN as error:
        raise UserError(
            f"{image['file']}: cannot read this image ({error}); replace it"
        ) from None
    if not png.is_file():
        raise UserError(f"{png}: no such file; place the image's class mask there")
    try:
        with Image.open(png) as opened:
            mode, found = opened.mode, opened.size
            mask = np.array(opened) if mode in ("P", "L") else None
    except BROKEN as error:
        raise UserError(f"{png}: cannot read this mask ({error}); replace it") from None
    if mask is None:
        raise UserError(
            f"{png}: a {mode} picture, not a palette (P) or gray (L) PNG of class"
            " indices; save the mask's class indices, as VOC's SegmentationClass does"
        )
    if found != (image["width"], image["height"]):
        raise UserError(
            f"{png}: {found[0]}x{found[1]} pixels, but its image {image['file'].name}"
            f" is {image['width']}x{image['height']}; a mask must match its image"
        )
    unknown = np.unique(mask[(mask > classes) & (mask != 255)])
    if unknown.size:
        raise UserError(
            f"{png}: holds the class value {unknown[0]}, but there are {classes}"
            f" classes (1-{classes}; 0 background, 255 void); fix the mask, or list"
            " your classes in data.classes (data=voc)"
        )
    return mask
