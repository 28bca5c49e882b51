"""Seed Python, numpy (which shuffles paddle's batches) and paddle: once as the run
starts, then again as each epoch starts, from the run's seed and the epoch (seeds.py).
"""

import random

import numpy as np
import paddle
from paddle.callbacks import Callback

from ..seeds import epoch_seed


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    paddle.seed(seed)


class EpochSeeds(Callback):
    def __init__(self, seed: int, first_epoch: int) -> None:
        super().__init__()
        self.seed, self.first_epoch = seed, first_epoch

    def on_epoch_begin(self, epoch, logs=None) -> None:
        """`epoch` counts from 0 in each fit() call; a resumed run's first is later."""
        seed_everything(epoch_seed(self.seed, self.first_epoch + epoch))
