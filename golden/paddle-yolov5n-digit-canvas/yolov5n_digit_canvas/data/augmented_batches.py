"""The training batches of segmentation (and detection), augmented as data.augment
says (data/dense_augment.py)."""

import numpy as np

from .batches import ArrayBatches
from .dense_augment import augment_batch


class AugmentedBatches(ArrayBatches):
    """The training images and their masks (or box tables: an object array of them),
    each batch augmented as data.augment says (data/dense_augment.py), its draws
    seeded from its image indices and numpy's generator, which callbacks/seeds.py
    seeds from (seed, epoch) as each epoch starts (before the loader's processes
    start): a resumed epoch augments as the lost one did."""

    def __init__(self, images: np.ndarray, targets: np.ndarray, ops: list) -> None:
        super().__init__(images, targets)
        self.ops = ops

    def __getitem__(self, indices):
        images, targets = super().__getitem__(indices)
        draws = [np.random.randint(2**31), *np.asarray(indices).tolist()]
        return augment_batch(images, targets, draws, self.ops)
