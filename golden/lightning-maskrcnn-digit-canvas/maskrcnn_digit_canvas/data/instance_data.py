"""The data of an instance segmentation run: images held as one uint8 tensor, each with
its objects; a batch is a slice of the images and, per image, its objects' boxes,
classes and masks."""

import numpy as np
import torch
from torch.utils.data import Dataset

from .coco_data import CocoData


class InstanceBatches(Dataset):
    def __init__(self, images: np.ndarray, objects: list, augment=None) -> None:
        """`objects`: per image {boxes: float32 (k, 5) of class, x1, y1, x2, y2 in
        pixels; masks: uint8 (k, H, W)} (data/coco_instances.py); `augment`: the
        training split's BatchAugmentation (data/augmented_batches.py), or None."""
        self.images, self.objects, self.augment = images, objects, augment

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, list[dict]]:
        return self.__getitems__([index])

    def __getitems__(self, indices: list[int]) -> tuple[torch.Tensor, list[dict]]:
        """(images, targets): per image {boxes (x1, y1, x2, y2), labels, masks}, the
        form Mask R-CNN and the metric take."""
        images, objects = self.images[indices], [self.objects[i] for i in indices]
        if self.augment:
            images, objects = self.augment.arrays(images, objects, indices)
        targets = [
            {
                "boxes": torch.from_numpy(found["boxes"][:, 1:]),
                "labels": torch.from_numpy(found["boxes"][:, 0]).long(),
                "masks": torch.from_numpy(found["masks"]),
            }
            for found in objects
        ]
        return torch.from_numpy(images), targets


class InstanceData(CocoData):
    targets = "instances"

    def batches(self, images, objects, augment) -> InstanceBatches:
        return InstanceBatches(images, objects, augment)
