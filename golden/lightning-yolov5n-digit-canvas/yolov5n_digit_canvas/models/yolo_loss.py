"""YOLOv5's loss: which predictions answer for which box, and how wrong they are.

Assignment, per stride: an anchor takes a box when neither side of the box is more
than ANCHOR_RATIO times, or less than 1/ANCHOR_RATIO of, the anchor's; the cell holding
the box's centre answers for it, and so do the two neighbours (one across, one up or
down) nearest to that centre, which is why a predicted centre spans -0.5 .. 1.5 cells.
Box loss 1 - CIoU; objectness BCE towards the predicted box's CIoU with its target
(0 where no box is assigned), weighted per stride; class BCE (one-hot).
"""

import torch
from torch import nn
from torchvision.ops import box_convert, complete_box_iou_loss

ANCHOR_RATIO = 4.0
OBJECTNESS_BALANCE = (4.0, 1.0, 0.4)  # strides 8, 16, 32: small objects weigh more
BOX_GAIN, OBJECTNESS_GAIN, CLASS_GAIN = 0.05, 1.0, 0.5  # YOLOv5's defaults at 640 px
# the centre cell, then one cell left, up, right, down: (dx, dy)
CELL_SHIFTS = ((0, 0), (-1, 0), (0, -1), (1, 0), (0, 1))


class YoloLoss:
    """`loss, parts = YoloLoss(model)(model(images), targets)`; targets [M, 6] rows of
    (image index in the batch, class, cx, cy, w, h), the box in input pixels."""

    def __init__(self, model: nn.Module) -> None:
        self.model = model
        self.bce = nn.BCEWithLogitsLoss()

    def __call__(self, outputs: list[torch.Tensor], targets: torch.Tensor):
        model, device = self.model, outputs[0].device
        targets = targets.to(device=device, dtype=torch.float32)
        box, obj, cls = (torch.zeros((), device=device) for _ in range(3))
        for level, pred in enumerate(outputs):
            pred, stride = pred.float(), model.strides[level]
            anchors = model.anchors[level] / stride  # in cells
            image, anchor, y, x, target, label = assign(targets, anchors, stride, pred)
            objectness = torch.zeros_like(pred[..., 4])
            if len(image):
                chosen = pred[image, anchor, y, x]
                xy = chosen[:, :2].sigmoid() * 2 - 0.5
                # + 1e-7: CIoU divides by the height; a box of no height is NaN
                wh = (chosen[:, 2:4].sigmoid() * 2) ** 2 * anchors[anchor] + 1e-7
                boxes = [
                    box_convert(b, "cxcywh", "xyxy")
                    for b in (torch.cat([xy, wh], 1), target)
                ]
                ciou_loss = complete_box_iou_loss(*boxes, reduction="none")
                box = box + ciou_loss.mean()
                objectness[image, anchor, y, x] = (1 - ciou_loss).detach().clamp(min=0)
                if model.num_classes > 1:  # a single class needs no class score
                    one_hot = nn.functional.one_hot(label, model.num_classes)
                    cls = cls + self.bce(chosen[:, 5:], one_hot.to(chosen.dtype))
            obj = obj + self.bce(pred[..., 4], objectness) * OBJECTNESS_BALANCE[level]
        # gains as YOLOv5 scales them: per number of strides, image size, classes; the
        # image size is the input's longer side
        layers, batch_size = len(outputs), outputs[0].shape[0]
        image_size = max(outputs[0].shape[2:4]) * int(model.strides[0])
        box = box * BOX_GAIN * 3 / layers
        obj = obj * OBJECTNESS_GAIN * (image_size / 640) ** 2 * 3 / layers
        cls = cls * CLASS_GAIN * model.num_classes / 80 * 3 / layers
        # YOLOv5 multiplies the mean losses by the batch size (its learning rates are
        # tuned so); we do the same so its hyperparameters carry over
        loss = (box + obj + cls) * batch_size
        return loss, {"box": box.detach(), "obj": obj.detach(), "cls": cls.detach()}


def assign(targets: torch.Tensor, anchors: torch.Tensor, stride, pred: torch.Tensor):
    """Who answers for which box at one stride: (image, anchor, cell y, cell x) indices
    into `pred`, each one's target box (cx, cy within its cell, w, h, in cells) and its
    class."""
    height, width = pred.shape[2:4]
    boxes = targets[:, 2:6] / stride
    ratio = boxes[None, :, 2:4] / anchors[:, None]  # [anchors, boxes, 2]
    fits = torch.max(ratio, 1 / ratio).amax(2) < ANCHOR_RATIO
    anchor, row = fits.nonzero(as_tuple=True)
    centre = boxes[row, :2]
    from_end = torch.tensor([width, height], device=centre.device) - centre
    # a neighbour is taken when the centre lies in the half of its cell facing it, and
    # the centre is more than one cell from the image's edge on that side
    before = (centre % 1 < 0.5) & (centre > 1)
    after = (from_end % 1 < 0.5) & (from_end > 1)
    takes = torch.stack([torch.ones_like(before[:, 0]), *before.T, *after.T])
    shift, pick = takes.nonzero(as_tuple=True)
    shifts = torch.tensor(CELL_SHIFTS, device=centre.device)[shift]
    # half a cell towards the neighbour lands in it (and, exactly on a cell's border,
    # in the centre's own cell, as YOLOv5's rounding does)
    cell = (centre[pick] + 0.5 * shifts).floor().long()
    cell[:, 0].clamp_(0, width - 1)
    cell[:, 1].clamp_(0, height - 1)
    target = torch.cat([centre[pick] - cell, boxes[row[pick], 2:4]], 1)
    rows = targets[row[pick]]
    return (
        rows[:, 0].long(),
        anchor[pick],
        cell[:, 1],
        cell[:, 0],
        target,
        rows[:, 1].long(),
    )
