"""An export's raw outputs to answers, with numpy alone: a classifier's probabilities,
a segmenter's class per pixel, and a detector's objects: its candidates (boxes x1, y1,
x2, y2 in input pixels, a score per class) scored above a threshold, overlaps of a
class dropped by non-maximum suppression, as models/yolo_boxes.py does in torch."""

import numpy as np


def probabilities(logits: np.ndarray) -> np.ndarray:
    """(N, K) logits to each class's probability (softmax)."""
    shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def classes_per_pixel(logits: np.ndarray) -> np.ndarray:
    """(N, K, H, W) logits to uint8 (N, H, W): each pixel's most likely class."""
    return logits.argmax(axis=1).astype(np.uint8)


def select_objects(
    boxes: np.ndarray,
    scores: np.ndarray,
    score_threshold: float,
    iou_threshold: float,
    max_detections: int,
    max_candidates: int = 30000,
) -> list[np.ndarray]:
    """Per image, (k, 6) rows of x1, y1, x2, y2, score, class (best score first,
    k <= max_detections), from candidates `boxes` (N, A, 4) and `scores` (N, A, K).
    A box may appear once per class it scores above the threshold for."""
    found = []
    for image_boxes, image_scores in zip(boxes, scores, strict=True):
        index, label = np.nonzero(image_scores > score_threshold)
        score = image_scores[index, label]
        if len(score) > max_candidates:  # the best-scored pairs: bounds NMS's time
            best = np.argsort(-score, kind="stable")[:max_candidates]
            index, label, score = index[best], label[best], score[best]
        corners = image_boxes[index]
        # one NMS over every class: each class's boxes moved apart from the others'
        offsets = label[:, None] * (corners.max(initial=0) + 1)
        keep = nms(corners + offsets, score, iou_threshold)[:max_detections]
        columns = [corners[keep], score[keep, None], label[keep, None]]
        found.append(np.concatenate(columns, axis=1).astype(np.float32))
    return found


def nms(boxes: np.ndarray, scores: np.ndarray, iou_threshold: float) -> np.ndarray:
    """Indices of the boxes kept, best score first: each box overlapping a better one
    by more than `iou_threshold` (intersection over union) is dropped."""
    x1, y1, x2, y2 = boxes.T
    areas = (x2 - x1) * (y2 - y1)
    order, keep = np.argsort(-scores, kind="stable"), []
    while order.size:
        best, rest = order[0], order[1:]
        keep.append(best)
        width = np.minimum(x2[best], x2[rest]) - np.maximum(x1[best], x1[rest])
        height = np.minimum(y2[best], y2[rest]) - np.maximum(y1[best], y1[rest])
        overlap = np.clip(width, 0, None) * np.clip(height, 0, None)
        with np.errstate(invalid="ignore", divide="ignore"):  # boxes of no area: nan
            iou = overlap / (areas[best] + areas[rest] - overlap)
        order = rest[~(iou > iou_threshold)]  # nan is kept, as torchvision's nms does
    return np.asarray(keep, dtype=np.int64)
