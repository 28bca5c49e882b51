"""The data of a detection run: images held as one uint8 tensor, each with its boxes; a
batch is a slice of the images and, per image, its boxes and their classes."""

import numpy as np
import torch
from torch.utils.data import Dataset

from .augmented_batches import BatchAugmentation
from .coco_data import CocoData


class BoxBatches(Dataset):
    def __init__(
        self, images: np.ndarray, boxes: np.ndarray, augment: BatchAugmentation | None
    ) -> None:
        """`boxes`: per image, float32 (k, 5) of class, x1, y1, x2, y2 in pixels;
        `augment`: the train split's augmentation, None for none."""
        self.images = torch.from_numpy(images)
        self.boxes = [torch.from_numpy(table) for table in boxes]
        self.augment = augment

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, list[dict]]:
        return self.__getitems__([index])

    def __getitems__(self, indices: list[int]) -> tuple[torch.Tensor, list[dict]]:
        """(images, targets): per image {boxes: (k, 4) x1, y1, x2, y2 in pixels,
        labels: (k,) class indices}, the form torchvision's detectors and the metric
        take; in the train split augmented, the boxes moved with the pixels."""
        images = self.images[torch.as_tensor(indices)]
        tables = [self.boxes[index] for index in indices]
        if self.augment:
            images, tables = self.augment(images, [t.numpy() for t in tables], indices)
        targets = [{"boxes": t[:, 1:], "labels": t[:, 0].long()} for t in tables]
        return images, targets


class DetectionData(CocoData):
    targets = "boxes"

    def batches(self, images, boxes, augment) -> BoxBatches:
        return BoxBatches(images, boxes, augment)
