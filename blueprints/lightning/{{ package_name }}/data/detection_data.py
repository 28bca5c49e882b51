"""The data of a detection run: images held as one uint8 tensor, each with its boxes; a
batch is a slice of the images and one table of all their boxes."""

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

    def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
        return self.__getitems__([index])

    def __getitems__(self, indices: list[int]) -> tuple[torch.Tensor, torch.Tensor]:
        """(images, targets): targets (M, 6) of image in the batch, class, and the box
        as centre x, centre y, width, height in pixels (the loss's form)."""
        images = self.images[torch.as_tensor(indices)]
        tables = [self.boxes[index] for index in indices]
        if self.augment:
            tables = [table.numpy() for table in tables]
            images, tables = self.augment(images, tables, indices)
        rows = []
        for position, table in enumerate(tables):
            corner, far = table[:, 1:3], table[:, 3:5]
            image = torch.full((len(table), 1), float(position))
            rows.append(torch.cat([image, table[:, :1], (corner + far) / 2], dim=1))
            rows[-1] = torch.cat([rows[-1], far - corner], dim=1)
        return images, torch.cat(rows)


class DetectionData(CocoData):
    targets = "boxes"

    def batches(self, images, boxes, augment) -> BoxBatches:
        return BoxBatches(images, boxes, augment)
