"""The LightningModule: a detector trained on its boxes, scored by COCO's mean average
precision over the epoch (val/map, val/map50, val/map75; the test adds each class's AP
as test/ap/<class>). The model's adapter (models/__init__.py) answers its three calls:
train_loss, evaluate (loss and detections) and detect, whichever the model's family."""

import torch
from omegaconf import OmegaConf
from pycocotools.cocoeval import Params
from torchmetrics.detection import MeanAveragePrecision

from .models import build_adapter, build_model
from .prediction_board import show_boxes
from .task_module import TaskModule

# COCO's own IoU and recall thresholds: torchmetrics' defaults are float32 roundings of
# them, which move a recall of exactly 0.55 (11 of 20 boxes), say, past its step
COCO = Params(iouType="bbox")


class Detector(TaskModule):
    SCORED = "bbox"  # what the metric compares (Mask R-CNN: masks and boxes)
    NAMES = (("", ""),)  # (the metric's key prefix, the suffix of the logged names)

    def __init__(self, config: dict, data: dict) -> None:
        """`config`: the run's whole config; `data`: channels, image_size, class_names,
        mean and std."""
        super().__init__()
        # Plain dicts only, so checkpoints load with torch.load(weights_only=True).
        self.save_hyperparameters(logger=False)  # loggers: tracking/loggers.py
        self.cfg = OmegaConf.create(config)
        num_classes = len(data["class_names"])
        channels, size = data["channels"], data["image_size"]
        self.net = build_model(self.cfg.model, channels, num_classes, size)
        self.adapter = build_adapter(self.cfg.model, self.net)
        # pycocotools' own evaluation, fed every box of the epoch (summed over devices).
        self.scores = MeanAveragePrecision(
            iou_type=self.SCORED,
            backend="pycocotools",
            class_metrics=True,
            iou_thresholds=COCO.iouThrs.tolist(),
            rec_thresholds=COCO.recThrs.tolist(),
        )

    def forward(self, images):
        return self.net(images)

    def training_step(self, batch, batch_idx):
        images, targets = batch  # targets: per image {boxes (x1, y1, x2, y2), labels}
        loss = self.adapter.train_loss(images, targets)
        self.record_loss(loss, len(images))  # train/loss: task_module.py
        return loss

    def validation_step(self, batch, batch_idx):
        found = self.evaluate(batch, "val")
        if batch_idx == 0:
            show_boxes(self, batch[0], found)

    def test_step(self, batch, batch_idx):
        self.evaluate(batch, "test")

    def evaluate(self, batch, stage: str) -> list[dict]:
        """Logs the loss, feeds the epoch's mAP; gives each image's detections
        ({boxes (x1, y1, x2, y2 in pixels), scores, labels})."""
        images, targets = batch
        loss, found = self.adapter.evaluate(images, targets)
        self.log(
            f"{stage}/loss", loss, prog_bar=True, batch_size=len(images), sync_dist=True
        )
        self.scores.update(self.scored(found), self.scored(targets))
        return found

    def scored(self, boxes: list[dict]) -> list[dict]:
        """What the metric reads of each image's boxes (here: all of it)."""
        return boxes

    def on_validation_epoch_end(self) -> None:
        self.log_scores("val")

    def on_test_epoch_end(self) -> None:
        self.log_scores("test")

    def log_scores(self, stage: str) -> None:
        scores = self.scores.compute()
        self.scores.reset()
        for prefix, suffix in self.NAMES:
            self.log_map(stage, scores, prefix, suffix)

    def log_map(self, stage: str, scores: dict, prefix: str, suffix: str) -> None:
        """<stage>/map<suffix>, map50<suffix>, map75<suffix> from the metric's
        <prefix>map...; the test adds each class's AP as test/ap<suffix>/<class>
        (classes without a box in the split have none)."""
        # compute() gathered every process's boxes: the values are equal everywhere, and
        # sync_dist (their mean) only keeps Lightning from warning that they may not be.
        # One value an epoch: batch_size=1 spares Lightning guessing it from the last
        # batch (images and a list of targets: it warns that the batch is ambiguous).
        once = {"sync_dist": True, "batch_size": 1}
        self.log(
            f"{stage}/map{suffix}", scores[f"{prefix}map"], prog_bar=not suffix, **once
        )
        self.log(f"{stage}/map50{suffix}", scores[f"{prefix}map_50"], **once)
        self.log(f"{stage}/map75{suffix}", scores[f"{prefix}map_75"], **once)
        if stage == "test":
            names = self.hparams.data["class_names"]
            classes = scores["classes"].flatten().tolist()
            per_class = scores[f"{prefix}map_per_class"].flatten().tolist()
            for index, ap in zip(classes, per_class, strict=True):
                if ap >= 0:
                    self.log(f"test/ap{suffix}/{names[index]}", ap, batch_size=1)

    def predict_step(self, batch, batch_idx):
        """Each image's boxes scoring 0.25 or more: x1, y1, x2, y2 as shares of the
        image's width and height (so they fit the image at any size), score, class."""
        images = batch[0] if isinstance(batch, (list, tuple)) else batch
        scale = torch.tensor([images.shape[-1], images.shape[-2]] * 2).to(images)
        found = self.adapter.detect(images, score_threshold=0.25)
        return [
            torch.cat(
                [d["boxes"] / scale, d["scores"][:, None], d["labels"][:, None]], 1
            )
            for d in found
        ]
