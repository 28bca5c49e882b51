"""Segmentation scores from a confusion matrix: IoU per class, mean IoU, pixel accuracy.

Counted with numpy on both twins, so val/miou, val/pixel_acc, test/miou and
test/pixel_acc mean the same on each. Pixels whose target is 255 (crowd regions) are
not counted. A class absent from both target and prediction has no IoU (nan) and is
left out of the mean, as torchmetrics and mmsegmentation do.
"""

import numpy as np


def confusion_matrix(
    pred: np.ndarray, target: np.ndarray, num_classes: int, ignore_index: int = 255
) -> np.ndarray:
    """int64 (num_classes, num_classes): row = the target class, column = the predicted
    one, over every pixel whose target is not ignore_index."""
    pred, target = np.asarray(pred).ravel(), np.asarray(target).ravel()
    if pred.shape != target.shape:
        raise ValueError(f"{pred.size} predicted pixels for {target.size} targets")
    counted = target != ignore_index
    pred, target = pred[counted].astype(np.int64), target[counted].astype(np.int64)
    for name, values in (("target", target), ("pred", pred)):
        if values.size and not 0 <= values.min() <= values.max() < num_classes:
            raise ValueError(f"a {name} class outside 0..{num_classes - 1}")
    cells = np.bincount(target * num_classes + pred, minlength=num_classes**2)
    return cells.reshape(num_classes, num_classes)


def segmentation_scores(confusion: np.ndarray) -> dict:
    """{"miou", "pixel_acc", "iou": [per class, nan where absent]} of a confusion."""
    confusion = np.asarray(confusion, dtype=np.float64)
    hits = np.diag(confusion)
    union = confusion.sum(0) + confusion.sum(1) - hits
    present = union > 0
    iou = np.full(len(hits), np.nan)
    iou[present] = hits[present] / union[present]
    counted = confusion.sum()
    return {
        "miou": float(iou[present].mean()) if present.any() else float("nan"),
        "pixel_acc": float(hits.sum() / counted) if counted else float("nan"),
        "iou": iou.tolist(),
    }
