"""The LightningModule: a network trained with cross-entropy, scored by top-1/top-5 accuracy."""

import torch.nn.functional as F
from omegaconf import OmegaConf
from torchmetrics import MetricCollection
from torchmetrics.classification import MulticlassAccuracy

from .data.augment import check_augment
from .models import build_model
from .task_module import TaskModule


class Classifier(TaskModule):
    def __init__(self, config: dict, data: dict) -> None:
        """`config`: the run's whole config; `data`: channels, image_size, class_names
        (and a mix's sources)."""
        super().__init__()
        # Plain dicts only, so checkpoints load with torch.load(weights_only=True).
        self.save_hyperparameters(logger=False)  # loggers: tracking/loggers.py
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

    def forward(self, images):
        return self.net(images)

    def training_step(self, batch, batch_idx):
        images, labels = batch
        loss = F.cross_entropy(self(images), labels)
        self.record_loss(loss, len(labels))  # train/loss: task_module.py
        return loss

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
