"""The LightningModule: a one-stage detector trained on its boxes (models/yolo_loss.py),
scored by COCO's mean average precision over the epoch (val/map, val/map50, val/map75;
the test adds each class's AP as test/ap/<class>)."""

import torch
from omegaconf import OmegaConf
from pycocotools.cocoeval import Params
from torchmetrics.detection import MeanAveragePrecision

from .models import build_model
from .models.yolo_boxes import decode
from .models.yolo_loss import YoloLoss
from .task_module import TaskModule

EPOCH_MEAN = {"on_step": False, "on_epoch": True, "sync_dist": True}
# COCO's own IoU and recall thresholds: torchmetrics' defaults are float32 roundings of
# them, which move a recall of exactly 0.55 (11 of 20 boxes), say, past its step
COCO = Params(iouType="bbox")


class Detector(TaskModule):
    def __init__(self, config: dict, data: dict) -> None:
        """`config`: the run's whole config; `data`: channels, image_size, class_names,
        mean and std."""
        super().__init__()
        # Plain dicts only, so checkpoints load with torch.load(weights_only=True).
        self.save_hyperparameters()
        self.cfg = OmegaConf.create(config)
        num_classes = len(data["class_names"])
        channels, size = data["channels"], data["image_size"]
        self.net = build_model(self.cfg.model, channels, num_classes, size)
        self.loss = YoloLoss(self.net)
        # pycocotools' own evaluation, fed every box of the epoch (summed over devices).
        self.scores = MeanAveragePrecision(
            backend="pycocotools",
            class_metrics=True,
            iou_thresholds=COCO.iouThrs.tolist(),
            rec_thresholds=COCO.recThrs.tolist(),
        )

    def forward(self, images):
        return self.net(images)

    def training_step(self, batch, batch_idx):
        images, targets = batch
        loss, _ = self.loss(self(images), targets)
        self.check_finite(loss)
        # The targets table has a row per box: the batch's size is its images'.
        self.log("train/loss", loss, batch_size=len(images), **EPOCH_MEAN)
        if self.trainer.progress_bar_callback:  # each log call costs ~0.5 ms
            self.log("loss", loss, prog_bar=True, logger=False)
        return loss

    def validation_step(self, batch, batch_idx):
        self.evaluate(batch, "val")

    def test_step(self, batch, batch_idx):
        self.evaluate(batch, "test")

    def evaluate(self, batch, stage: str) -> None:
        images, targets = batch
        outputs = self(images)
        loss, _ = self.loss(outputs, targets)
        self.log(
            f"{stage}/loss", loss, prog_bar=True, batch_size=len(images), sync_dist=True
        )
        found = [
            {"boxes": d[:, :4], "scores": d[:, 4], "labels": d[:, 5].long()}
            for d in decode(outputs, self.net, max_detections=100)  # COCO's limit
        ]
        self.scores.update(found, truths(targets, len(images)))

    def on_validation_epoch_end(self) -> None:
        self.log_scores("val")

    def on_test_epoch_end(self) -> None:
        self.log_scores("test")

    def log_scores(self, stage: str) -> None:
        scores = self.scores.compute()
        self.scores.reset()
        self.log(f"{stage}/map", scores["map"], prog_bar=True)
        self.log(f"{stage}/map50", scores["map_50"])
        self.log(f"{stage}/map75", scores["map_75"])
        if stage == "test":  # classes without a box in the split have no AP (-1)
            names = self.hparams.data["class_names"]
            classes = scores["classes"].flatten().tolist()
            per_class = scores["map_per_class"].flatten().tolist()
            for index, ap in zip(classes, per_class, strict=True):
                if ap >= 0:
                    self.log(f"test/ap/{names[index]}", ap)

    def predict_step(self, batch, batch_idx):
        """Each image's boxes scoring 0.25 or more: x1, y1, x2, y2 as shares of the
        image's width and height (so they fit the image at any size), score, class."""
        images = batch[0] if isinstance(batch, (list, tuple)) else batch
        scale = torch.tensor([images.shape[-1], images.shape[-2]] * 2).to(images)
        found = decode(self(images), self.net, score_threshold=0.25)
        return [torch.cat([d[:, :4] / scale, d[:, 4:]], dim=1) for d in found]


def truths(targets: torch.Tensor, count: int) -> list[dict]:
    """The loss's table of boxes (image, class, centre x, centre y, width, height) as
    one {boxes (x1, y1, x2, y2), labels} per image, as the metric wants them."""
    centres, sizes = targets[:, 2:4], targets[:, 4:6]
    corners = torch.cat([centres - sizes / 2, centres + sizes / 2], dim=1)
    mine = [targets[:, 0] == image for image in range(count)]
    return [{"boxes": corners[m], "labels": targets[m, 1].long()} for m in mine]
