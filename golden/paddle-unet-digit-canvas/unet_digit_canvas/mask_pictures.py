"""What predict.py leaves for each segmented image: its class mask as a PNG (each pixel's
value is its class's index), a picture of the image with every class coloured over it
and named, and a record of its classes as COCO-style run-length masks (RLE)."""

import colorsys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageOps

from .data.coco_masks import mask_to_rle


def palette(count: int) -> np.ndarray:
    """uint8 (count, 3): black for the background, then hues spread around the circle."""
    colours = [(0.0, 0.0, 0.0)] + [
        colorsys.hsv_to_rgb((i * 0.618) % 1, 0.85, 1.0) for i in range(count - 1)
    ]
    return (np.array(colours) * 255).astype(np.uint8)


def write_outputs(
    out_dir: Path, path: Path, mask: np.ndarray, names: list[str]
) -> dict:
    """Save `path`'s mask (at the network's size) at the image's own size, and its
    picture; return its record: the share of the image each class covers, and each
    class's pixels as an RLE."""
    with Image.open(path) as opened:
        image = ImageOps.exif_transpose(opened).convert("RGB")  # upright, as decoded
    mask = Image.fromarray(mask).resize(image.size, Image.Resampling.NEAREST)
    stem = free_stem(out_dir, path.stem)
    mask.save(out_dir / f"{stem}_mask.png")
    classes = np.asarray(mask)
    picture(image, classes, names).save(out_dir / f"{stem}_overlay.png")
    found = [int(c) for c in np.unique(classes) if c != 0]
    return {
        "file": str(path),
        "outputs": [f"{stem}_mask.png", f"{stem}_overlay.png"],
        "classes": {names[c]: round(float((classes == c).mean()), 4) for c in found},
        "segments": [
            {"category": names[c], "segmentation": mask_to_rle(classes == c)}
            for c in found
        ],
    }


def picture(image: Image.Image, classes: np.ndarray, names: list[str]) -> Image.Image:
    """The image with each class's pixels tinted in its colour, and a legend."""
    colours = palette(len(names))
    pixels = np.asarray(image).astype(np.float32)
    tinted = np.where(
        classes[..., None] > 0, 0.45 * pixels + 0.55 * colours[classes], pixels
    )
    drawn = Image.fromarray(tinted.astype(np.uint8))
    draw = ImageDraw.Draw(drawn)
    for row, index in enumerate(c for c in np.unique(classes) if c != 0):
        top = 2 + 12 * row
        draw.rectangle(
            [2, top, 11, top + 9], fill=tuple(int(v) for v in colours[index])
        )
        draw.text((14, top - 1), names[index], fill=(255, 255, 255))
    return drawn


def free_stem(out_dir: Path, stem: str) -> str:
    """`stem`, or stem_2, stem_3, ...: two inputs of one name must not overwrite."""
    taken, number, name = True, 1, stem
    while taken:
        taken = (out_dir / f"{name}_mask.png").exists()
        if taken:
            number += 1
            name = f"{stem}_{number}"
    return name
