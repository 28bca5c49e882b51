"""torchvision's detectors (Faster R-CNN, RetinaNet, SSDlite) and Mask R-CNN, built for
the data's classes and size, and the three calls the Detector makes of them.

torchvision counts class 0 as the background (COCO's weights have 91 classes), so the
project's class k is their k + 1. They resize and normalise their inputs themselves:
here they take the images at data.image_size as the data module normalised them.
"""

import torch
import torchvision
from torch import nn

from ..errors import UserError


def check_rgb(name: str, in_channels: int) -> None:
    """torchvision's detectors take three channels: their backbones' first layer."""
    if in_channels != 3:
        raise UserError(f"model.name={name} takes RGB images: set data.channels=3")


def build_torchvision_detector(
    name: str, num_classes: int, image_size: int
) -> nn.Module:
    """No weights here, and none fetched behind your back: model.pretrained loads them.
    models/__init__.py's check_model has refused gray images (check_rgb)."""
    net = torchvision.models.get_model(
        name,
        weights=None,
        weights_backbone=None,
        num_classes=num_classes + 1,  # and the background
        image_mean=[0.0, 0.0, 0.0],  # the data module has normalised the images
        image_std=[1.0, 1.0, 1.0],
    )
    # Keep the images at data.image_size: by default these resize them to 320 or 800 px
    # (SSDlite's builder fixes its size, so it is set here for every model alike).
    net.transform.min_size, net.transform.max_size = (image_size,), image_size
    if net.transform.fixed_size is not None:
        net.transform.fixed_size = (image_size, image_size)
    return net


class TorchvisionAdapter:
    """The Detector's calls, answered by a torchvision detector: it computes its losses
    itself in train mode, and answers detections in eval mode."""

    def __init__(self, net: nn.Module) -> None:
        self.net = net

    def train_loss(self, images: torch.Tensor, targets: list[dict]) -> torch.Tensor:
        """The sum of the model's losses (for Faster R-CNN: the RPN's and the head's)."""
        theirs = [{**t, "labels": t["labels"] + 1} for t in targets]
        return sum(self.net(list(images), theirs).values())

    @torch.no_grad()
    def evaluate(self, images: torch.Tensor, targets: list[dict]) -> tuple:
        """(the loss, as in training but with the norm layers' statistics frozen and
        nothing learned, detections)."""
        self.net.train()
        for module in self.net.modules():
            if isinstance(module, nn.modules.batchnorm._BatchNorm):
                module.eval()
        loss = self.train_loss(images, targets)
        self.net.eval()
        return loss, self.detect(images)

    def detect(self, images: torch.Tensor, score_threshold: float = 0.0) -> list:
        """Per image {boxes (x1, y1, x2, y2 pixels), scores, labels[, masks (k, H, W)
        probabilities]}, at most 100 (COCO's limit, torchvision's default)."""
        found = []
        for answer in self.net(list(images)):
            keep = answer["scores"] >= score_threshold
            answer = {key: value[keep] for key, value in answer.items()}
            answer["labels"] = answer["labels"] - 1
            if "masks" in answer:
                answer["masks"] = answer["masks"][:, 0]
            found.append(answer)
        return found
