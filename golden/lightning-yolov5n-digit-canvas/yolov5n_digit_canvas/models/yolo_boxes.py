"""From YOLOv5's raw outputs to boxes: decode each anchor's prediction into a box in
input pixels, score every (box, class) pair as objectness times class probability,
keep those above a threshold, and drop overlaps of the same class (non-maximum
suppression). A box may so appear once per class it is likely enough to be, as in
YOLOv5's validation (which mAP rewards). With a single class, which YOLOv5 gives no
class loss, the score is the objectness alone.
"""

import torch
from torchvision.ops import batched_nms, box_convert

from .yolo import STRIDES

MAX_CANDIDATES = 30000  # the best-scored pairs that enter NMS (bounds its time)


@torch.no_grad()
def decode(
    outputs: list[torch.Tensor],
    model,
    score_threshold: float = 0.001,
    iou_threshold: float = 0.6,
    max_detections: int = 300,
) -> list[torch.Tensor]:
    """One [K, 6] tensor per image, rows (x1, y1, x2, y2, score, class) in input
    pixels, best score first, K <= max_detections."""
    detections = []
    for corners, image_scores in zip(*candidates(outputs, model), strict=True):
        index, label = (image_scores > score_threshold).nonzero(as_tuple=True)
        score = image_scores[index, label]
        if len(score) > MAX_CANDIDATES:
            best = score.topk(MAX_CANDIDATES).indices
            index, label, score = index[best], label[best], score[best]
        keep = batched_nms(corners[index], score, label, iou_threshold)[:max_detections]
        found = [corners[index[keep]], score[keep, None], label[keep, None].float()]
        detections.append(torch.cat(found, 1))
    return detections


def candidates(outputs: list[torch.Tensor], model) -> tuple[torch.Tensor, torch.Tensor]:
    """Every anchor's box, (N, A, 4) x1, y1, x2, y2 in input pixels, and its score per
    class, (N, A, classes): what NMS chooses from (and what export.py exports)."""
    boxes, scores = [], []
    for pred, stride, anchors in zip(
        outputs, model.strides, model.anchors, strict=True
    ):
        n, per_cell, height, width, _ = pred.shape
        pred = pred.float().sigmoid()
        rows, cols = torch.meshgrid(
            torch.arange(height, device=pred.device),
            torch.arange(width, device=pred.device),
            indexing="ij",
        )
        cells = torch.stack([cols, rows], -1)  # [H, W, (x, y)]
        xy = (pred[..., :2] * 2 - 0.5 + cells) * stride
        wh = (pred[..., 2:4] * 2) ** 2 * anchors.view(1, per_cell, 1, 1, 2)
        boxes.append(torch.cat([xy, wh], -1).view(n, -1, 4))
        # one class has no class loss (an untrained score): objectness alone then
        class_probability = pred[..., 5:] if pred.shape[-1] > 6 else 1.0
        level_scores = class_probability * pred[..., 4:5]
        scores.append(level_scores.reshape(n, -1, pred.shape[-1] - 5))
    # the network's own strides are STRIDES: a number here, not a read of its buffer
    # (which an exported graph would have to compute)
    image_height, image_width = (side * STRIDES[0] for side in outputs[0].shape[2:4])
    corners = box_convert(torch.cat(boxes, 1), "cxcywh", "xyxy")
    low = torch.zeros(4, device=corners.device)
    high = torch.tensor([image_width, image_height] * 2, device=corners.device)
    return torch.minimum(torch.maximum(corners, low), high), torch.cat(scores, 1)
