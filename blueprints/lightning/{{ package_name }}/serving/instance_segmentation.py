"""/predict's answer for one image of an instance segmenter (Mask R-CNN): its objects as
a detector's (serving/detection.py), and where each lies: a PNG at the image's own size
whose pixels hold the object's number in `objects` (1 is the first; 0: none), in base64.
Where objects overlap, the better-scoring one holds the pixel."""

import base64
from io import BytesIO

import numpy as np
from PIL import Image

from .detection import answer as objects_answer

MASK_THRESHOLD = 0.5  # a pixel is the object's where its probability reaches this


def answer(outputs: list[np.ndarray], size: tuple[int, int], manifest: dict) -> dict:
    """`outputs`: the model's for one image (boxes, scores, labels, masks (k, 1, H, W)
    probabilities, best first); `size`: the image's width and height."""
    found = objects_answer(outputs, size, manifest)
    names = [output["name"] for output in manifest["outputs"]]
    masks = outputs[names.index("masks")][: len(found["objects"]), 0]  # the kept
    numbers = np.zeros(masks.shape[1:] if len(masks) else (1, 1), dtype=np.uint8)
    for number in range(len(masks), 0, -1):  # the best painted last, on top
        numbers[masks[number - 1] >= MASK_THRESHOLD] = number
    picture = Image.fromarray(numbers).resize(size, Image.Resampling.NEAREST)
    png = BytesIO()
    picture.save(png, format="PNG")
    return found | {
        "mask": {
            "encoding": "png/base64",
            "width": size[0],
            "height": size[1],
            "data": base64.b64encode(png.getvalue()).decode("ascii"),
        }
    }
