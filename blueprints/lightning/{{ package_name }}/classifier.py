"""The LightningModule: a network trained with cross-entropy, scored by top-1/top-5 accuracy."""

import math

import pytorch_lightning as pl
import torch
import torch.nn.functional as F
from omegaconf import OmegaConf
from torchmetrics import MetricCollection
from torchmetrics.classification import MulticlassAccuracy

from .data.augment import check_augment
from .errors import loss_not_finite
from .models import build_model
from .optim import build_optimizer, build_scheduler


class Classifier(pl.LightningModule):
    def __init__(self, config: dict, data: dict) -> None:
        """`config`: the run's whole config; `data`: channels, image_size, class_names
        (and a mix's sources)."""
        super().__init__()
        # Plain dicts only, so checkpoints load with torch.load(weights_only=True).
        self.save_hyperparameters()
        self.cfg = OmegaConf.create(config)
        num_classes = len(data["class_names"])
        channels, size = data["channels"], data["image_size"]
        self.net = build_model(self.cfg.model, channels, num_classes, size)
        check_augment(self.cfg.data, channels, size)  # before the run directory exists
        metrics = {"acc": MulticlassAccuracy(num_classes, average="micro")}
        if num_classes >= 5:
            metrics["acc_top5"] = MulticlassAccuracy(
                num_classes, top_k=5, average="micro"
            )
        self.val_metrics = MetricCollection(metrics, prefix="val/")
        self.test_metrics = self.val_metrics.clone(prefix="test/")
        self.sources = data.get("sources", [])

    def setup(self, stage: str) -> None:
        # GPU convolutions run faster on channels-last tensors (ResNet-18, bf16, batch 512:
        # 1.6x in a plain loop, BENCHMARKS.md). The batches follow (data/module.py).
        if self.trainer.strategy.root_device.type == "cuda":
            self.net.to(memory_format=torch.channels_last)

    def forward(self, images):
        return self.net(images)

    def training_step(self, batch, batch_idx):
        images, labels = batch
        loss = F.cross_entropy(self(images), labels)
        self.check_finite(loss)
        self.log("train/loss", loss, on_step=False, on_epoch=True, sync_dist=True)
        if (
            self.trainer.progress_bar_callback
        ):  # each log call costs ~0.5 ms: only if shown
            self.log("loss", loss, prog_bar=True, logger=False)
        return loss

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

    def validation_step(self, batch, batch_idx):
        self.evaluate(batch, self.val_metrics, "val")

    def test_step(self, batch, batch_idx):
        self.evaluate(batch, self.test_metrics, "test")

    def evaluate(self, batch, metrics: MetricCollection, stage: str) -> None:
        images, labels, *sources = batch
        logits = self(images)
        loss = F.cross_entropy(logits, labels)
        self.log(
            f"{stage}/loss", loss, prog_bar=True, sync_dist=True
        )  # mean over devices
        metrics.update(logits, labels)
        self.log_dict(metrics, prog_bar=True)
        if sources:
            self.log_sources(logits.argmax(dim=1) == labels, sources[0], stage)

    def log_sources(self, correct, sources, stage: str) -> None:
        """A mix's accuracy on each source's images: <stage>/acc/<source>, averaged
        over the epoch by each batch's count of that source's images."""
        for index, name in enumerate(self.sources):
            mine = sources == index
            count = int(mine.sum())
            if count:
                share = correct[mine].float().mean()
                self.log(f"{stage}/acc/{name}", share, batch_size=count, sync_dist=True)

    def predict_step(self, batch, batch_idx):
        images = batch[0] if isinstance(batch, (list, tuple)) else batch
        return self(images).softmax(dim=1)

    def configure_optimizers(self):
        optimizer = build_optimizer(self.parameters(), self.cfg.optimizer)
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
