"""YOLOv5's loss: which predictions answer for which box, and how wrong they are.

Assignment, per stride: an anchor takes a box when neither side of the box is more
than ANCHOR_RATIO times, or less than 1/ANCHOR_RATIO of, the anchor's; the cell holding
the box's centre answers for it, and so do the two neighbours (one across, one up or
down) nearest to that centre, which is why a predicted centre spans -0.5 .. 1.5 cells.
Box loss 1 - CIoU; objectness BCE towards the predicted box's CIoU with its target
(0 where no box is assigned), weighted per stride; class BCE (one-hot). The Lightning
twin's loss, step for step.
"""

import math

import paddle
import paddle.nn.functional as F

ANCHOR_RATIO = 4.0
OBJECTNESS_BALANCE = (4.0, 1.0, 0.4)  # strides 8, 16, 32: small objects weigh more
BOX_GAIN, OBJECTNESS_GAIN, CLASS_GAIN = 0.05, 1.0, 0.5  # YOLOv5's defaults at 640 px
# the centre cell, then one cell left, up, right, down: (dx, dy)
CELL_SHIFTS = ((0, 0), (-1, 0), (0, -1), (1, 0), (0, 1))


class YoloLoss:
    """`YoloLoss(model)(*model(images), targets)`, as paddle.Model calls a loss: the
    outputs, then targets [M, 6] rows of (image index in the batch, class, cx, cy, w,
    h), the box in input pixels."""

    def __init__(self, model) -> None:
        self.strides, self.anchors = model.strides, model.anchors
        self.num_classes = model.num_classes

    def __call__(self, *outputs_then_targets) -> paddle.Tensor:
        *outputs, targets = outputs_then_targets
        targets = targets.astype("float32")
        box, obj, cls = (paddle.zeros([]) for _ in range(3))
        for level, pred in enumerate(outputs):
            pred, stride = pred.astype("float32"), self.strides[level]
            anchors = self.anchors[level] / stride  # in cells
            objectness = paddle.zeros(pred.shape[:4])
            assigned = assign(targets, anchors, stride, pred.shape)
            if assigned is not None:
                image, anchor, y, x, target, label = assigned
                chosen = paddle.gather_nd(pred, paddle.stack([image, anchor, y, x], 1))
                xy = F.sigmoid(chosen[:, :2]) * 2 - 0.5
                # + 1e-7: CIoU divides by the height; a box of no height is NaN
                wh = (F.sigmoid(chosen[:, 2:4]) * 2) ** 2 * anchors[anchor] + 1e-7
                box_loss = ciou_loss(paddle.concat([xy, wh], 1), target)
                box = box + box_loss.mean()
                _, anchors_per_cell, height, width = objectness.shape
                flat = ((image * anchors_per_cell + anchor) * height + y) * width + x
                iou = (1 - box_loss).detach().clip(min=0)
                objectness = paddle.scatter(
                    objectness.flatten(), flat, iou, overwrite=True
                ).reshape(objectness.shape)
                if self.num_classes > 1:  # a single class needs no class score
                    one_hot = F.one_hot(label, self.num_classes)
                    cls = cls + F.binary_cross_entropy_with_logits(
                        chosen[:, 5:], one_hot
                    )
            level_obj = F.binary_cross_entropy_with_logits(pred[..., 4], objectness)
            obj = obj + level_obj * OBJECTNESS_BALANCE[level]
        # gains as YOLOv5 scales them: per number of strides, image size, classes; the
        # image size is the input's longer side
        layers, batch_size = len(outputs), outputs[0].shape[0]
        image_size = max(outputs[0].shape[2:4]) * self.strides[0]
        box = box * BOX_GAIN * 3 / layers
        obj = obj * OBJECTNESS_GAIN * (image_size / 640) ** 2 * 3 / layers
        cls = cls * CLASS_GAIN * self.num_classes / 80 * 3 / layers
        # YOLOv5 multiplies the mean losses by the batch size (its learning rates are
        # tuned so); we do the same so its hyperparameters carry over
        return (box + obj + cls) * batch_size


def assign(targets: paddle.Tensor, anchors: paddle.Tensor, stride: int, shape):
    """Who answers for which box at one stride: (image, anchor, cell y, cell x) indices
    into the predictions, each one's target box (cx, cy within its cell, w, h, in
    cells) and its class; None where no anchor takes a box."""
    height, width = shape[2:4]
    boxes = targets[:, 2:6] / stride
    ratio = boxes[None, :, 2:4] / anchors[:, None]  # [anchors, boxes, 2]
    fits = paddle.maximum(ratio, 1 / ratio).max(2) < ANCHOR_RATIO
    if not bool(fits.any()):
        return None
    anchor, row = (i.flatten() for i in paddle.nonzero(fits, as_tuple=True))
    centre = boxes[row, :2]
    from_end = paddle.to_tensor([width, height], dtype="float32") - centre
    # a neighbour is taken when the centre lies in the half of its cell facing it, and
    # the centre is more than one cell from the image's edge on that side
    before = (paddle.remainder(centre, paddle.to_tensor(1.0)) < 0.5) & (centre > 1)
    after = (paddle.remainder(from_end, paddle.to_tensor(1.0)) < 0.5) & (from_end > 1)
    everyone = paddle.ones_like(before[:, 0])
    takes = paddle.stack(
        [everyone, before[:, 0], before[:, 1], after[:, 0], after[:, 1]]
    )
    shift, pick = (i.flatten() for i in paddle.nonzero(takes, as_tuple=True))
    shifts = paddle.to_tensor(CELL_SHIFTS, dtype="float32")[shift]
    # half a cell towards the neighbour lands in it (and, exactly on a cell's border,
    # in the centre's own cell, as YOLOv5's rounding does)
    cell = paddle.floor(centre[pick] + 0.5 * shifts)
    cell = paddle.stack(
        [cell[:, 0].clip(0, width - 1), cell[:, 1].clip(0, height - 1)], 1
    )
    target = paddle.concat([centre[pick] - cell, boxes[row[pick], 2:4]], 1)
    rows, cell = targets[row[pick]], cell.astype("int64")
    labels = rows[:, :2].astype("int64")
    return labels[:, 0], anchor[pick], cell[:, 1], cell[:, 0], target, labels[:, 1]


def ciou_loss(boxes: paddle.Tensor, targets: paddle.Tensor, eps: float = 1e-7):
    """1 - complete IoU of (cx, cy, w, h) boxes with their targets, as torchvision's
    complete_box_iou_loss computes it: 1 - IoU, plus the centres' squared distance
    over the enclosing box's squared diagonal, plus the aspect ratios' difference."""
    x1, y1, x2, y2 = corners(boxes)
    tx1, ty1, tx2, ty2 = corners(targets)
    overlap_w = (paddle.minimum(x2, tx2) - paddle.maximum(x1, tx1)).clip(min=0)
    overlap_h = (paddle.minimum(y2, ty2) - paddle.maximum(y1, ty1)).clip(min=0)
    overlap = overlap_w * overlap_h
    union = (x2 - x1) * (y2 - y1) + (tx2 - tx1) * (ty2 - ty1) - overlap
    iou = overlap / (union + eps)
    enclosing_w = paddle.maximum(x2, tx2) - paddle.minimum(x1, tx1)
    enclosing_h = paddle.maximum(y2, ty2) - paddle.minimum(y1, ty1)
    diagonal = enclosing_w**2 + enclosing_h**2 + eps
    distance = ((x1 + x2 - tx1 - tx2) / 2) ** 2 + ((y1 + y2 - ty1 - ty2) / 2) ** 2
    angles = paddle.atan((tx2 - tx1) / (ty2 - ty1)) - paddle.atan((x2 - x1) / (y2 - y1))
    v = 4 / math.pi**2 * angles**2
    alpha = (v / (1 - iou + v + eps)).detach()
    return 1 - iou + distance / diagonal + alpha * v


def corners(boxes: paddle.Tensor) -> list[paddle.Tensor]:
    """x1, y1, x2, y2 of (cx, cy, w, h) boxes."""
    centre, half = boxes[:, :2], boxes[:, 2:4] / 2
    low, high = centre - half, centre + half
    return [low[:, 0], low[:, 1], high[:, 0], high[:, 1]]
