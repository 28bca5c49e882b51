"""speed.ema: an exponential moving average of the weights, updated after each optimizer
step. Validation and every checkpoint (so test, export and a resumed run) use the
average; training goes on with the raw weights."""

import torch
from pytorch_lightning.callbacks import Callback


class WeightAverage(Callback):
    def __init__(self, decay: float) -> None:
        self.decay = decay
        self.average: dict | None = None
        self.raw: dict | None = None
        self.step = -1

    def on_fit_start(self, trainer, pl_module) -> None:
        self.average = copy(pl_module.state_dict())  # a resumed run's are averaged

    @torch.no_grad()
    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx):
        if trainer.global_step == self.step:  # accumulating: no step taken yet
            return
        self.step = trainer.global_step
        for name, value in pl_module.state_dict().items():
            if value.is_floating_point():
                self.average[name].lerp_(value, 1 - self.decay)
            else:  # counters (batch norm's batches seen)
                self.average[name].copy_(value)

    def on_validation_epoch_start(self, trainer, pl_module) -> None:
        if self.average is not None:
            self.raw = copy(pl_module.state_dict())
            pl_module.load_state_dict(self.average)

    def on_validation_epoch_end(self, trainer, pl_module) -> None:
        if self.raw is not None:
            pl_module.load_state_dict(self.raw)
            self.raw = None

    def on_save_checkpoint(self, trainer, pl_module, checkpoint) -> None:
        if self.average is not None:
            checkpoint["state_dict"] = copy(self.average)


def copy(weights: dict) -> dict:
    return {name: value.detach().clone() for name, value in weights.items()}
