"""What the pictures predict.py draws share: the image as decoded for the network
(upright), a colour per class, and file names that never overwrite each other."""

import colorsys
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps


def upright(path: Path) -> Image.Image:
    """The image in RGB, turned as its EXIF orientation says (as it was decoded)."""
    with Image.open(path) as opened:
        return ImageOps.exif_transpose(opened).convert("RGB")


def palette(count: int) -> np.ndarray:
    """uint8 (count, 3): black for the background, then hues spread around the circle."""
    colours = [(0.0, 0.0, 0.0)] + [
        colorsys.hsv_to_rgb((i * 0.618) % 1, 0.85, 1.0) for i in range(count - 1)
    ]
    return (np.array(colours) * 255).astype(np.uint8)


def free_stem(out_dir: Path, stem: str, suffix: str) -> str:
    """`stem`, or stem_2, stem_3, ...: the first whose `<name><suffix>` is not taken,
    so that two inputs of one name do not overwrite each other's outputs."""
    taken, number, name = True, 1, stem
    while taken:
        taken = (out_dir / f"{name}{suffix}").exists()
        if taken:
            number += 1
            name = f"{stem}_{number}"
    return name
