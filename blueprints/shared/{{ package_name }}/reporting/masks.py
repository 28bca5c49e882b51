"""The report's view of a segmenter's test answers: each class's IoU, and test images
with their true and predicted classes coloured over them."""

import numpy as np
from PIL import Image

from ..mask_pictures import picture
from .figures import chart, png
from .tiles import SIZE, enlarged, tiled

IGNORED = 255  # pixels no class is scored on: shown as background


def iou_chart(confusion: np.ndarray, names: list[str]) -> bytes:
    right = np.diag(confusion).astype(np.float64)
    union = confusion.sum(0) + confusion.sum(1) - right
    iou = np.divide(right, union, out=np.zeros_like(right), where=union > 0)
    size = (max(5, 0.35 * len(names)), 3.2)
    figure, axes = chart("IoU per class (test)", "class", size)
    axes.bar(range(len(names)), iou, color="tab:green")
    axes.set_xticks(range(len(names)), names, rotation=90, fontsize=7)
    axes.set_ylim(0, 1)
    return png(figure)


def mask_pictures(outputs: dict, names: list[str]) -> Image.Image | None:
    """Each kept test image twice: its true classes, then the predicted ones."""
    drawn = []
    for image, *masks in zip(
        outputs.get("images", []),
        outputs.get("truth", []),
        outputs.get("predicted", []),
        strict=True,
    ):
        drawn += [picture(enlarged(image), resized(mask), names) for mask in masks]
    return tiled(drawn)


def resized(mask: np.ndarray) -> np.ndarray:
    mask = np.where(mask == IGNORED, 0, mask).astype(np.uint8)
    return np.asarray(
        Image.fromarray(mask).resize((SIZE, SIZE), Image.Resampling.NEAREST)
    )
