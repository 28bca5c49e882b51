"""What every LightningModule of this project shares: the network's layout on GPUs, a
stop on a loss that is not finite, and the optimizer with its schedule."""

import math
from collections.abc import Mapping
from types import MappingProxyType

import pytorch_lightning as pl
import torch

from .errors import loss_not_finite
from .optim import build_optimizer, build_scheduler


class TaskModule(pl.LightningModule):
    """Subclasses build `self.net` and `self.cfg` (the run's config)."""

    # a training run's speed switches (speed/apply.py); empty: the defaults below
    speed: Mapping[str, bool] = MappingProxyType({})

    def setup(self, stage: str) -> None:
        # GPU convolutions run faster on channels-last tensors (ResNet-18, bf16, batch 512:
        # 1.6x in a plain loop, BENCHMARKS.md). The batches follow (data/module.py).
        cuda = self.trainer.strategy.root_device.type == "cuda"
        if self.speed.get("channels_last", cuda):
            self.net.to(memory_format=torch.channels_last)

    def check_finite(self, loss) -> None:
        """Stop on a nan or inf loss: every step on CPU; on GPUs, where asking waits for
        the device, every log_every_n_steps steps."""
        step = self.trainer.global_step
        if loss.is_cuda and step % self.trainer.log_every_n_steps:
            return
        if not torch.isfinite(loss):
            lr = self.trainer.optimizers[0].param_groups[0]["lr"]
            value = float(loss.detach())
            raise loss_not_finite(value, step + 1, self.current_epoch + 1, lr)

    def configure_optimizers(self):
        trainable = [p for p in self.parameters() if p.requires_grad]  # model.freeze
        optimizer = build_optimizer(
            trainable, self.cfg.optimizer, self.speed.get("fused_optimizer", False)
        )
        total_steps = int(self.trainer.estimated_stepping_batches)
        batches = self.trainer.num_training_batches
        steps_per_epoch = math.ceil(batches / self.trainer.accumulate_grad_batches)
        scheduler = build_scheduler(
            optimizer, self.cfg.scheduler, total_steps, steps_per_epoch
        )
        if scheduler is None:
            return optimizer
        schedule = {"scheduler": scheduler, "interval": "step", "name": "train/lr"}
        return {"optimizer": optimizer, "lr_scheduler": schedule}
