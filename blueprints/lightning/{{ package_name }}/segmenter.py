"""The LightningModule: a network that gives every pixel a class, trained with
cross-entropy per pixel, scored by mean IoU and pixel accuracy."""

import math

import torch
import torch.nn.functional as F
from omegaconf import OmegaConf
from torchmetrics.classification import MulticlassConfusionMatrix

from .models import build_model
from .prediction_board import show_masks
from .segmentation_scores import segmentation_scores
from .task_module import TaskModule

IGNORED = 255  # mask value of pixels that count for nothing (COCO's crowd regions)


class Segmenter(TaskModule):
    def __init__(self, config: dict, data: dict) -> None:
        """`config`: the run's whole config; `data`: channels, image_size, class_names
        (background first), mean and std."""
        super().__init__()
        # Plain dicts only, so checkpoints load with torch.load(weights_only=True).
        self.save_hyperparameters(logger=False)  # loggers: tracking/loggers.py
        self.cfg = OmegaConf.create(config)
        num_classes = len(data["class_names"])
        channels, size = data["channels"], data["image_size"]
        self.net = build_model(self.cfg.model, channels, num_classes, size)
        # Pixels counted by (true class, predicted class), summed over devices; the
        # scores are read from it once per epoch (segmentation_scores.py).
        self.confusion = MulticlassConfusionMatrix(num_classes, ignore_index=IGNORED)

    def forward(self, images):
        scores = self.net(images)  # torchvision's models answer {"out": scores, ...}
        return scores["out"] if isinstance(scores, dict) else scores

    def training_step(self, batch, batch_idx):
        images, masks = batch
        loss = F.cross_entropy(self(images), masks, ignore_index=IGNORED)
        self.record_loss(loss, len(masks))  # train/loss: task_module.py
        return loss

    def validation_step(self, batch, batch_idx):
        predicted = self.evaluate(batch, "val")
        if batch_idx == 0:
            show_masks(self, batch[0], predicted)

    def test_step(self, batch, batch_idx):
        self.evaluate(batch, "test")

    def evaluate(self, batch, stage: str):
        """Log the batch's loss, count its pixels; return its predicted classes."""
        images, masks = batch
        logits = self(images)
        loss = F.cross_entropy(logits, masks, ignore_index=IGNORED)
        self.log(f"{stage}/loss", loss, prog_bar=True, sync_dist=True)
        predicted = logits.argmax(dim=1)
        self.confusion.update(predicted, masks)
        return predicted

    def on_validation_epoch_end(self) -> None:
        self.log_scores("val")

    def on_test_epoch_end(self) -> None:
        self.log_scores("test")

    def log_scores(self, stage: str) -> None:
        """<stage>/miou and <stage>/pixel_acc, from every pixel of the epoch; the test
        adds each class's IoU as test/iou/<class> (classes it never saw have none)."""
        scores = segmentation_scores(self.confusion.compute().cpu().numpy())
        self.confusion.reset()
        # Every process's pixels are in the confusion (compute() summed them): the scores
        # are equal everywhere, and sync_dist (their mean) only keeps Lightning quiet.
        self.log(f"{stage}/miou", scores["miou"], prog_bar=True, sync_dist=True)
        self.log(f"{stage}/pixel_acc", scores["pixel_acc"], sync_dist=True)
        if stage == "test":
            names = self.hparams.data["class_names"]
            for name, iou in zip(names, scores["iou"], strict=True):
                if not math.isnan(iou):
                    self.log(f"test/iou/{name}", iou)

    def predict_step(self, batch, batch_idx):
        """Each image's class per pixel (uint8)."""
        images = batch[0] if isinstance(batch, (list, tuple)) else batch
        return self(images).argmax(dim=1).to(torch.uint8)
