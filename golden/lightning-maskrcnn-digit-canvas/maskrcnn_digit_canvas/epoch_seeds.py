"""Re-seed torch as each epoch starts, from the run's seed and the epoch (seeds.py)."""

import torch
from pytorch_lightning.callbacks import Callback

from .seeds import epoch_seed


class EpochSeeds(Callback):
    def __init__(self, seed: int) -> None:
        self.seed = seed

    def on_train_epoch_start(self, trainer, pl_module) -> None:
        torch.manual_seed(epoch_seed(self.seed, trainer.current_epoch))
