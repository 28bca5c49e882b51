"""What predict.py leaves for each image an instance segmenter has seen: a picture of it
with every object's mask tinted in its class's colour and its box drawn, named and
scored, and a record of the objects in COCO's result form (bbox as x, y, width, height
in the image's own pixels, segmentation as a run-length mask, RLE)."""

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from .data.coco_masks import mask_to_rle
from .drawing import free_stem, palette, upright
from .mask_pictures import picture


def write_outputs(out_dir: Path, path: Path, objects: dict, names: list[str]) -> dict:
    """`objects`: {boxes (k, 4) x1, y1, x2, y2 as shares of the image's width and
    height, scores (k,), labels (k,), masks uint8 (k, H, W) at the network's size};
    drawn and recorded at the image's own size."""
    image = upright(path)
    masks = [
        np.asarray(Image.fromarray(mask).resize(image.size, Image.Resampling.NEAREST))
        for mask in objects["masks"]
    ]
    classes = np.zeros((image.height, image.width), dtype=np.int64)  # 0: background
    for mask, label in zip(masks, objects["labels"], strict=True):
        classes[mask > 0] = int(label) + 1
    drawn = picture(image, classes, ["background", *names])
    draw = ImageDraw.Draw(drawn)
    colours = palette(len(names) + 1)
    scale = np.array([image.width, image.height] * 2, dtype=np.float64)
    found = []
    for corners, score, label, mask in zip(
        objects["boxes"] * scale,
        objects["scores"],
        objects["labels"],
        masks,
        strict=True,
    ):
        x1, y1, x2, y2 = (round(float(v), 1) for v in corners)
        colour, name = tuple(int(v) for v in colours[int(label) + 1]), names[int(label)]
        draw.rectangle([x1, y1, x2, y2], outline=colour, width=2)
        draw.text((x1 + 2, y1 + 1), f"{name} {score:.2f}", fill=colour)
        found.append(
            {
                "category": name,
                "bbox": [x1, y1, round(x2 - x1, 1), round(y2 - y1, 1)],
                "score": round(float(score), 4),
                "segmentation": mask_to_rle(mask > 0),
            }
        )
    stem = free_stem(out_dir, path.stem, "_objects.png")
    drawn.save(out_dir / f"{stem}_objects.png")
    shown = ", ".join(f"{item['category']} {item['score']:.2f}" for item in found)
    return {
        "file": str(path),
        "summary": shown or "nothing found",
        "outputs": [f"{stem}_objects.png"],
        "objects": found,
    }
