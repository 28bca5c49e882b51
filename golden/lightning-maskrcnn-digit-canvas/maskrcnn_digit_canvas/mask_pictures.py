"""What predict.py leaves for each segmented image: its class mask as a PNG (each pixel's
value is its class's index), a picture of the image with every class coloured over it
and named, and a record of its classes as COCO-style run-length masks (RLE)."""

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from .data.coco_masks import mask_to_rle
from .drawing import free_stem, palette, upright


def write_outputs(
    out_dir: Path, path: Path, mask: np.ndarray, names: list[str]
) -> dict:
    """Save `path`'s mask (at the network's size) at the image's own size, and its
    picture; return its record: the share of the image each class covers, and each
    class's pixels as an RLE."""
    image = upright(path)
    mask = Image.fromarray(mask).resize(image.size, Image.Resampling.NEAREST)
    stem = free_stem(out_dir, path.stem, "_mask.png")
    mask.save(out_dir / f"{stem}_mask.png")
    classes = np.asarray(mask)
    picture(image, classes, names).save(out_dir / f"{stem}_overlay.png")
    found = [int(c) for c in np.unique(classes) if c != 0]
    shares = {names[c]: round(float((classes == c).mean()), 4) for c in found}
    return {
        "file": str(path),
        "summary": ", ".join(f"{n} {v:.1%}" for n, v in shares.items()) or "background",
        "outputs": [f"{stem}_mask.png", f"{stem}_overlay.png"],
        "classes": shares,
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
