"""The data of an instance segmentation run: images held as one uint8 tensor, each with
its objects; a batch is a slice of the images and, per image, its objects' boxes,
classes and masks."""

import numpy as np
import torch
from torch.utils.data import Dataset

from .coco_data import CocoData


class InstanceBatches(Dataset):
    def __init__(self, images: np.ndarray, objects: np.ndarray) -> None:
        """`objects`: per image {boxes: float32 (k, 5) of class, x1, y1, x2, y2 in
        pixels; masks: uint8 (k, H, W)} (data/coco_instances.py)."""
        self.images = torch.from_numpy(images)
        self.objects = [
            {
                "boxes": torch.from_numpy(found["boxes"][:, 1:]),
                "labels": torch.from_numpy(found["boxes"][:, 0]).long(),
                "masks": torch.from_numpy(found["masks"]),
            }
            for found in objects
        ]

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, list[dict]]:
        return self.__getitems__([index])

    def __getitems__(self, indices: list[int]) -> tuple[torch.Tensor, list[dict]]:
        """(images, targets): per image {boxes (x1, y1, x2, y2), labels, masks}, the
        form Mask R-CNN and the metric take."""
        targets = [self.objects[i] for i in indices]
        return self.images[torch.as_tensor(indices)], targets


class InstanceData(CocoData):
    targets = "instances"

    def batches(self, images, objects, augment) -> InstanceBatches:
        """No augmentation: config/rules.py holds data.augment at none."""
        return InstanceBatches(images, objects)
