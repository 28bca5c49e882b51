"""The report's view of dense answers: precision-recall curves per class (boxes, at
IoU 0.5), the IoU of each class (masks), and test images with what was found."""

import numpy as np
from PIL import Image

from ..box_pictures import draw_boxes
from ..mask_pictures import picture
from .figures import chart, png

SIZE = 192  # pixels per test picture


def iou_chart(confusion: np.ndarray, names: list[str]) -> bytes:
    right = np.diag(confusion).astype(np.float64)
    union = confusion.sum(0) + confusion.sum(1) - right
    iou = np.divide(right, union, out=np.zeros_like(right), where=union > 0)
    figure, axes = chart(
        "IoU per class (test)", "class", (max(5, 0.35 * len(names)), 3.2)
    )
    axes.bar(range(len(names)), iou, color="tab:green")
    axes.set_xticks(range(len(names)), names, rotation=90, fontsize=7)
    axes.set_ylim(0, 1)
    return png(figure)


def box_iou(box: np.ndarray, others: np.ndarray) -> np.ndarray:
    low = np.maximum(box[:2], others[:, :2])
    high = np.minimum(box[2:4], others[:, 2:4])
    inter = np.prod(np.clip(high - low, 0, None), axis=1)
    area = lambda b: np.prod(b[..., 2:4] - b[..., :2], axis=-1)  # noqa: E731
    return inter / np.maximum(area(box) + area(others) - inter, 1e-12)


def precision_recall(found: np.ndarray, truth: np.ndarray, cls: int):
    """Precision and recall of class `cls` as its score threshold falls (IoU >= 0.5
    matches an answer to a true box, each true box once)."""
    mine = found[found[:, 6] == cls]
    mine = mine[np.argsort(-mine[:, 5], kind="stable")]
    true = truth[truth[:, 5] == cls]
    used = np.zeros(len(true), bool)
    hits = np.zeros(len(mine), bool)
    for index, answer in enumerate(mine):
        same_image = np.flatnonzero((true[:, 0] == answer[0]) & ~used)
        if len(same_image):
            overlaps = box_iou(answer[1:5], true[same_image, 1:5])
            if overlaps.max() >= 0.5:
                used[same_image[overlaps.argmax()]] = hits[index] = True
    right = np.cumsum(hits)
    return right / np.arange(1, len(mine) + 1), right / max(len(true), 1)


def pr_chart(found: np.ndarray, truth: np.ndarray, names: list[str]) -> bytes:
    figure, axes = chart("precision-recall at IoU 0.5 (test)", "recall", (6, 4))
    for cls in np.unique(truth[:, 5]).astype(int) if len(truth) else []:
        precision, recall = precision_recall(found, truth, cls)
        if len(precision):
            axes.plot(recall, precision, label=names[cls])
    axes.set(ylabel="precision", xlim=(0, 1), ylim=(0, 1.02))
    axes.legend(fontsize=6, ncol=2)
    return png(figure)


def found_pictures(outputs, names: list[str]) -> Image.Image | None:
    """The first test images: boxes found drawn on each, or its true and predicted
    masks coloured over it."""
    drawn = []
    for index, image in enumerate(outputs.get("images", [])):
        shown = Image.fromarray(image).resize((SIZE, SIZE), Image.NEAREST)
        if "predicted" in outputs:
            pair = [outputs["truth"][index], outputs["predicted"][index]]
            drawn += [picture(shown, resized(mask), names) for mask in pair]
        else:
            found = outputs["found_boxes"].reshape(-1, 7)
            draw_boxes(shown, found[found[:, 0] == index, 1:], names)
            drawn.append(shown)
    if not drawn:
        return None
    columns = 4
    grid = Image.new("RGB", (columns * SIZE, -(-len(drawn) // columns) * SIZE), "white")
    for index, part in enumerate(drawn):
        grid.paste(part, (index % columns * SIZE, index // columns * SIZE))
    return grid


def resized(mask: np.ndarray) -> np.ndarray:
    mask = np.where(mask == 255, 0, mask).astype(np.uint8)  # void pixels as background
    return np.asarray(Image.fromarray(mask).resize((SIZE, SIZE), Image.NEAREST))
