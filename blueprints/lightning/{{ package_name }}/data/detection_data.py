"""The data of a detection run: images held as one uint8 tensor, each with its boxes; a
batch is a slice of the images and, per image, its boxes and their classes."""

import numpy as np
import torch
from torch.utils.data import Dataset

from .coco_data import CocoData


class BoxBatches(Dataset):
    def __init__(self, images: np.ndarray, boxes: np.ndarray) -> None:
        """`boxes`: per image, float32 (k, 5) of class, x1, y1, x2, y2 in pixels."""
        self.images = torch.from_numpy(images)
        self.boxes = [torch.from_numpy(table) for table in boxes]

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, list[dict]]:
        return self.__getitems__([index])

    def __getitems__(self, indices: list[int]) -> tuple[torch.Tensor, list[dict]]:
        """(images, targets): per image {boxes: (k, 4) x1, y1, x2, y2 in pixels,
        labels: (k,) class indices}, the form torchvision's detectors and the metric
        take."""
        targets = [
            {"boxes": self.boxes[i][:, 1:], "labels": self.boxes[i][:, 0].long()}
            for i in indices
        ]
        return self.images[torch.as_tensor(indices)], targets


class DetectionData(CocoData):
    targets = "boxes"

    def batches(self, images, boxes) -> BoxBatches:
        return BoxBatches(images, boxes)
