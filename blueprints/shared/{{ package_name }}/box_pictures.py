"""What predict.py leaves for each image a detector has seen: a picture of it with each
box drawn in its class's colour, named and scored, and a record of the boxes in COCO's
result form (bbox as x, y, width, height in the image's own pixels)."""

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from .drawing import free_stem, palette, upright


def write_outputs(
    out_dir: Path, path: Path, boxes: np.ndarray, names: list[str]
) -> dict:
    """`boxes`: (k, 6) of x1, y1, x2, y2 as shares of the image's width and height,
    score, class; drawn and recorded at the image's own size."""
    image = upright(path)
    found = draw_boxes(image, boxes, names)
    stem = free_stem(out_dir, path.stem, "_boxes.png")
    image.save(out_dir / f"{stem}_boxes.png")
    shown = ", ".join(f"{box['category']} {box['score']:.2f}" for box in found)
    return {
        "file": str(path),
        "summary": shown or "nothing found",
        "outputs": [f"{stem}_boxes.png"],
        "boxes": found,
    }


def draw_boxes(image: Image.Image, boxes: np.ndarray, names: list[str]) -> list[dict]:
    """Draw `boxes` (as write_outputs takes them) on `image`, each in its class's
    colour, named and scored; return them in COCO's result form, in its pixels."""
    scale = np.array([image.width, image.height] * 2, dtype=np.float64)
    colours = palette(len(names) + 1)[1:]  # the first colour is the background's black
    draw = ImageDraw.Draw(image)
    found = []
    corners_of = boxes[:, :4] * scale
    for corners, score, index in zip(corners_of, boxes[:, 4], boxes[:, 5], strict=True):
        x1, y1, x2, y2 = (round(float(v), 1) for v in corners)
        colour, name = tuple(int(v) for v in colours[int(index)]), names[int(index)]
        draw.rectangle([x1, y1, x2, y2], outline=colour, width=2)
        draw.text((x1 + 2, y1 + 1), f"{name} {score:.2f}", fill=colour)
        box = [x1, y1, round(x2 - x1, 1), round(y2 - y1, 1)]
        found.append({"category": name, "bbox": box, "score": round(float(score), 4)})
    return found
