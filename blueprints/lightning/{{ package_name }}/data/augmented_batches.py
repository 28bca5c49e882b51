"""The training batches of segmentation and detection, augmented as data.augment says
(data/dense_augment.py), each batch's random draws seeded from (seed, epoch, its image
indices) alone: a resumed epoch augments as the lost one did, the next epoch otherwise.

The epoch comes from the sampler, which Lightning tells as each epoch starts, not from
torch's generator that epoch_seeds.py seeds: Lightning fetches an epoch's first batch
before on_train_epoch_start.
"""

import torch
from torch.utils.data import DistributedSampler

from .batches import TensorBatches
from .dense_augment import augment_batch


def augmenting(split) -> bool:
    return getattr(split, "augment", None) is not None


class EpochOrder(DistributedSampler):
    """The training order, shuffled by (seed, epoch); it passes the epoch, which
    Lightning sets as each epoch starts, on to the split's augmentation."""

    def set_epoch(self, epoch: int) -> None:
        super().set_epoch(epoch)
        if augmenting(self.dataset):
            self.dataset.augment.epoch = epoch


class BatchAugmentation:
    """data.augment's ops on a training batch (data/dense_augment.py), its random
    draws seeded from (seed, epoch, the batch's image indices) alone: a resumed epoch
    augments as the lost one did, the next epoch otherwise."""

    def __init__(self, ops: list, seed: int) -> None:
        self.ops, self.seed, self.epoch = ops, seed, 0

    def arrays(self, images, targets, indices: list[int]):
        """numpy images and their masks, box tables or objects, augmented."""
        return augment_batch(
            images, targets, [self.seed, self.epoch, *indices], self.ops
        )

    def __call__(self, images: torch.Tensor, targets, indices: list[int]):
        """uint8 images and their masks (an array) or box tables (a list of arrays)
        augmented, as tensors."""
        images, targets = self.arrays(images.numpy(), targets, indices)
        if isinstance(targets, list):  # box tables
            return torch.from_numpy(images), [torch.from_numpy(t) for t in targets]
        return torch.from_numpy(images), torch.from_numpy(targets)


class AugmentedMasks(TensorBatches):
    """The training images and masks, each batch augmented."""

    def __init__(self, images, masks, augment: BatchAugmentation) -> None:
        super().__init__(images, masks)
        self.augment = augment

    def __getitems__(self, indices: list[int]) -> tuple[torch.Tensor, torch.Tensor]:
        images, masks = super().__getitems__(indices)
        return self.augment(images, masks.numpy(), indices)
