"""From YOLOv5's raw outputs to boxes: decode each anchor's prediction into a box in
input pixels, score every (box, class) pair as objectness times class probability,
keep those above a threshold, and drop overlaps of the same class (non-maximum
suppression). A box may so appear once per class it is likely enough to be, as in
YOLOv5's validation (which mAP rewards). With a single class, which YOLOv5 gives no
class loss, the score is the objectness alone.
"""

import paddle
import paddle.nn.functional as F
from paddle.vision.ops import nms

MAX_CANDIDATES = 30000  # the best-scored pairs that enter NMS (bounds its time)


@paddle.no_grad()
def decode(
    outputs: list[paddle.Tensor],
    model,
    score_threshold: float = 0.001,
    iou_threshold: float = 0.6,
    max_detections: int = 300,
) -> list[paddle.Tensor]:
    """One [K, 6] tensor per image, rows (x1, y1, x2, y2, score, class) in input
    pixels, best score first, K <= max_detections."""
    corners, scores = candidates(outputs, model)
    return [
        best_boxes(image_corners, image_scores, score_threshold, iou_threshold)[
            :max_detections
        ]
        for image_corners, image_scores in zip(corners, scores, strict=True)
    ]


def candidates(outputs: list[paddle.Tensor], model) -> tuple:
    """Every anchor's box before NMS: corners [N, A, 4] (x1, y1, x2, y2 in input
    pixels, clipped to the image) and scores [N, A, classes]. What export.py saves, so
    batch sizes stay open (reshape's 0 keeps the batch's size)."""
    boxes, scores = [], []
    for level, pred in enumerate(outputs):  # no zip: export's converter lacks strict=
        stride, anchors = model.strides[level], model.anchors[level]
        _, per_cell, height, width, _ = pred.shape
        pred = F.sigmoid(pred.astype("float32"))
        rows, cols = paddle.meshgrid(paddle.arange(height), paddle.arange(width))
        cells = paddle.stack([cols, rows], -1).astype("float32")  # [H, W, (x, y)]
        xy = (pred[..., :2] * 2 - 0.5 + cells) * stride
        wh = paddle.square(pred[..., 2:4] * 2) * anchors.reshape([1, per_cell, 1, 1, 2])
        boxes.append(paddle.concat([xy, wh], -1).reshape([0, -1, 4]))
        # one class has no class loss (an untrained score): objectness alone then
        class_probability = pred[..., 5:] if model.num_classes > 1 else 1.0
        level_scores = class_probability * pred[..., 4:5]
        scores.append(level_scores.reshape([0, -1, model.num_classes]))
    boxes = paddle.concat(boxes, 1)
    height = float(outputs[0].shape[2] * model.strides[0])  # float: paddle2onnx's clip
    width = float(outputs[0].shape[3] * model.strides[0])
    low, high = boxes[..., :2] - boxes[..., 2:] / 2, boxes[..., :2] + boxes[..., 2:] / 2
    corners = paddle.concat(
        [
            low[..., :1].clip(0.0, width),
            low[..., 1:].clip(0.0, height),
            high[..., :1].clip(0.0, width),
            high[..., 1:].clip(0.0, height),
        ],
        -1,
    )
    return corners, paddle.concat(scores, 1)


def best_boxes(corners, scores, score_threshold: float, iou_threshold: float):
    """[K, 6] (x1, y1, x2, y2, score, class): the (box, class) pairs scoring above
    the threshold that no better-scored box of their class overlaps too much."""
    if not bool((scores > score_threshold).any()):
        return paddle.zeros([0, 6])
    index, label = (i.flatten() for i in paddle.nonzero(scores > score_threshold, True))
    score = paddle.gather_nd(scores, paddle.stack([index, label], 1))
    if len(score) > MAX_CANDIDATES:
        score, best = score.topk(MAX_CANDIDATES)
        index, label = index[best], label[best]
    boxes, classes = corners[index], label.astype("float32")
    # boxes of different classes moved apart, so that one NMS sees each class alone
    apart = boxes + (classes * (float(corners.max()) + 1))[:, None]
    keep = (
        nms(apart, iou_threshold, score)
        if len(score) > 1
        else paddle.zeros([1], "int64")
    )
    return paddle.concat([boxes[keep], score[keep, None], classes[keep, None]], 1)
