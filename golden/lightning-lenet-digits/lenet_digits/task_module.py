"""What every LightningModule of this project shares: the network's layout on GPUs, the
training loss (a stop when it is not finite, its epoch mean kept on the device), and the
optimizer with its schedule."""

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
    # the training loss so far this epoch: its sum over images and their count
    epoch_loss: Mapping = MappingProxyType({})

    def __setattr__(self, name: str, value) -> None:
        # Lightning names the running hook here ~40 times a step; nn.Module's __setattr__
        # (parameter, buffer and submodule bookkeeping) cost ~0.1 ms a step of that, and
        # a string needs none of it (BENCHMARKS.md, "The lean step").
        if name == "_current_fx_name":
            object.__setattr__(self, name, value)
        else:
            super().__setattr__(name, value)

    def setup(self, stage: str) -> None:
        # GPU convolutions run faster on channels-last tensors (ResNet-18, bf16, batch 512:
        # 1.6x in a plain loop, BENCHMARKS.md). The batches follow (data/module.py).
        cuda = self.trainer.strategy.root_device.type == "cuda"
        if self.speed.get("channels_last", cuda):
            self.net.to(memory_format=torch.channels_last)

    def record_loss(self, loss, images: int) -> None:
        """A training step's loss: checked, and added to the epoch's sum on the device.
        One self.log per step cost ~0.4 ms (Lightning's result bookkeeping), a sixth of a
        LeNet step; train/loss is logged once, at the epoch's last step."""
        self.check_finite(loss)
        total = loss.detach() * images
        summed = self.epoch_loss.get("sum")
        self.epoch_loss["sum"] = total if summed is None else summed + total
        self.epoch_loss["images"] = self.epoch_loss.get("images", 0) + images

    def mean_loss(self) -> float | None:
        """The epoch's mean training loss so far (waits for the device: the progress bar
        asks only when it redraws)."""
        if not self.epoch_loss.get("images"):
            return None
        return float(self.epoch_loss["sum"]) / self.epoch_loss["images"]

    def on_train_epoch_start(self) -> None:
        self.epoch_loss = {}

    def on_train_batch_end(self, outputs, batch, batch_idx: int) -> None:
        """train/loss, the epoch's mean over its images (averaged over processes), at the
        epoch's last step or the run's (trainer.max_steps): before the epoch-end hooks
        that read it (the epoch line, checkpoints)."""
        trainer, images = self.trainer, self.epoch_loss.get("images")
        last_step = 0 < trainer.max_steps <= trainer.global_step
        if images and (trainer.is_last_batch or last_step):
            mean = self.epoch_loss["sum"] / images
            once = {"on_step": False, "on_epoch": True, "batch_size": images}
            self.log("train/loss", mean, sync_dist=True, **once)

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
