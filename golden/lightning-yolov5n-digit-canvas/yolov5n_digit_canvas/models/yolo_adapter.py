"""The Detector's calls, answered by YOLOv5 (yolo.py), its loss (yolo_loss.py) and its
decoding (yolo_boxes.py)."""

import torch
from torch import nn

from .yolo_boxes import decode
from .yolo_loss import YoloLoss


class YoloAdapter:
    def __init__(self, net: nn.Module) -> None:
        self.net, self.loss = net, YoloLoss(net)

    def train_loss(self, images: torch.Tensor, targets: list[dict]) -> torch.Tensor:
        return self.loss(self.net(images), loss_table(targets))[0]

    def evaluate(self, images: torch.Tensor, targets: list[dict]) -> tuple:
        """(loss, detections) from one pass of the network."""
        outputs = self.net(images)
        loss = self.loss(outputs, loss_table(targets))[0]
        return loss, found(decode(outputs, self.net, max_detections=100))  # COCO's

    def detect(self, images: torch.Tensor, score_threshold: float = 0.0) -> list:
        outputs = self.net(images)
        return found(decode(outputs, self.net, score_threshold=score_threshold))


def found(decoded: list[torch.Tensor]) -> list[dict]:
    """decode's (k, 6) rows of x1, y1, x2, y2, score, class as the metric's dicts."""
    return [
        {"boxes": d[:, :4], "scores": d[:, 4], "labels": d[:, 5].long()}
        for d in decoded
    ]


def loss_table(targets: list[dict]) -> torch.Tensor:
    """Per image {boxes (x1, y1, x2, y2), labels} as the loss's one table: rows of
    (image in the batch, class, centre x, centre y, width, height)."""
    rows = []
    for image, target in enumerate(targets):
        corner, far = target["boxes"][:, :2], target["boxes"][:, 2:]
        labels = target["labels"][:, None].to(corner)
        position = torch.full_like(labels, float(image))
        rows.append(torch.cat([position, labels, (corner + far) / 2, far - corner], 1))
    return torch.cat(rows)
