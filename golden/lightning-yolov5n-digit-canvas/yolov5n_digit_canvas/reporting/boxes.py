"""The report's view of a detector's test answers: precision against recall for each
class (a box found counts as right where it overlaps a true box of its class by IoU
0.5 or more, each true box once), and test images with the boxes found."""

import numpy as np
from PIL import Image, ImageDraw

from ..drawing import palette
from .figures import chart, png
from .tiles import SIZE, enlarged, tiled

SHOWN = 0.25  # the boxes drawn score this or more, as predict.py's (the curves: all)


def box_iou(box: np.ndarray, others: np.ndarray) -> np.ndarray:
    """IoU of one box (x1, y1, x2, y2) with each of `others` (k, 4)."""
    low = np.maximum(box[:2], others[:, :2])
    high = np.minimum(box[2:4], others[:, 2:4])
    inter = np.prod(np.clip(high - low, 0, None), axis=1)
    area = np.prod(box[2:4] - box[:2]) + np.prod(others[:, 2:4] - others[:, :2], 1)
    return inter / np.maximum(area - inter, 1e-12)


def precision_recall(found: np.ndarray, truth: np.ndarray, cls: int):
    """Precision and recall of class `cls` as its score threshold falls. `found`
    (k, 7): image, x1, y1, x2, y2, score, class; `truth` (k, 6): image, box, class."""
    mine = found[found[:, 6] == cls]
    mine = mine[np.argsort(-mine[:, 5], kind="stable")]
    true = truth[truth[:, 5] == cls]
    used = np.zeros(len(true), bool)
    hits = np.zeros(len(mine), bool)
    for index, answer in enumerate(mine):
        candidates = np.flatnonzero((true[:, 0] == answer[0]) & ~used)
        if len(candidates):
            overlaps = box_iou(answer[1:5], true[candidates, 1:5])
            if overlaps.max() >= 0.5:
                used[candidates[overlaps.argmax()]] = hits[index] = True
    right = np.cumsum(hits)
    return right / np.arange(1, len(mine) + 1), right / max(len(true), 1)


def pr_chart(found: np.ndarray, truth: np.ndarray, names: list[str]) -> bytes:
    figure, axes = chart("precision-recall at IoU 0.5 (test)", "recall", (6, 4))
    for cls in np.unique(truth[:, 5]).astype(int):
        precision, recall = precision_recall(found, truth, cls)
        axes.plot(recall, precision, label=names[cls])
    axes.set(ylabel="precision", xlim=(0, 1), ylim=(0, 1.02))
    if len(truth):
        axes.legend(fontsize=6, ncol=2)
    return png(figure)


def tinted(image: np.ndarray, objects: np.ndarray, colours: np.ndarray) -> np.ndarray:
    """`image` with each object's pixels (`objects`: 1 + class, 0 for none) half in its
    class's colour."""
    mixed = image.astype(np.float32)
    mine = objects > 0
    mixed[mine] = 0.5 * mixed[mine] + 0.5 * colours[objects[mine]]
    return mixed.astype(np.uint8)


def box_pictures(outputs: dict, names: list[str]) -> Image.Image | None:
    """The kept test images, each with the boxes found (scored 0.25 or more) drawn,
    named and scored in its class's colour, and (instances) their masks tinted."""
    found = outputs.get("found_boxes", np.zeros(0)).reshape(-1, 7)
    found = found[found[:, 5] >= SHOWN]
    objects = outputs.get("objects")
    colours = [tuple(int(v) for v in c) for c in palette(len(names) + 1)[1:]]
    drawn = []
    for index, image in enumerate(outputs.get("images", [])):
        if objects is not None:
            image = tinted(image, objects[index], palette(len(names) + 1))
        shown = enlarged(image)
        draw = ImageDraw.Draw(shown)
        for _, *corners, score, cls in found[found[:, 0] == index]:
            colour = colours[int(cls)]
            draw.rectangle([v * SIZE for v in corners], outline=colour, width=2)
            label = f"{names[int(cls)]} {score:.2f}"
            draw.text(
                (corners[0] * SIZE + 2, corners[1] * SIZE + 1), label, fill=colour
            )
        drawn.append(shown)
    return tiled(drawn)
