"""The paddle.Model of a detection run: the network behind a layer that normalises its
uint8 input, prepared with YOLOv5's loss (models/yolo_loss.py), COCO's mean average
precision over the epoch (box_scores.py: val/map, val/map50, val/map75; the test adds
each class's AP as test/ap/<class>), the optimizer and mixed precision."""

import numpy as np
import paddle
from omegaconf import OmegaConf
from paddle import nn

from .box_scores import box_scores
from .lean_step import lean
from .models import build_model
from .models.yolo_boxes import decode
from .models.yolo_loss import YoloLoss


class Normalized(nn.Layer):
    """uint8 images in, per-channel standardised floats into the network: inside the
    model, so eval, predict and export get the same normalisation for free."""

    def __init__(self, network: nn.Layer, mean: list, std: list) -> None:
        super().__init__()
        self.network = network
        self.register_buffer("mean", paddle.to_tensor(mean).reshape([1, -1, 1, 1]))
        self.register_buffer("std", paddle.to_tensor(std).reshape([1, -1, 1, 1]))

    def forward(self, images):
        return self.network((images.astype("float32") / 255 - self.mean) / self.std)


class BoxScores(paddle.metric.Metric):
    """Every box found in the validation or test epoch, and every true one, scored
    once when the epoch ends. paddle.Model asks each metric after every batch, and
    resets it at each epoch's end: so the scores are made as reset() ends an epoch
    (COCO's evaluation is for all boxes together), and EpochMetrics reads `scores`.
    Training batches (gradients on) are not scored."""

    def __init__(self, network: nn.Layer) -> None:
        super().__init__()
        self.network, self.scores = network, {}
        self.found, self.truths = [], []

    def reset(self) -> None:
        if self.truths:
            self.scores = box_scores(self.found, self.truths)
        self.found, self.truths = [], []

    def compute(self, *outputs_then_targets):
        """The batch's boxes found, its true ones, and a zero per image (an image
        with no box has no row, yet counts): paddle.Model hands them to update()."""
        *outputs, targets = outputs_then_targets
        if paddle.is_grad_enabled():
            return paddle.zeros([0, 7]), targets[:0], paddle.zeros([0])
        found = decode(outputs, self.network, max_detections=100)  # COCO's limit
        rows = [
            paddle.concat([paddle.full([len(d), 1], i, "float32"), d], 1)
            for i, d in enumerate(found)
        ]
        return paddle.concat(rows), targets, paddle.zeros([outputs[0].shape[0]])

    def update(self, found: np.ndarray, targets: np.ndarray, per_image) -> None:
        """`found`: (image, x1, y1, x2, y2, score, class) rows; `targets`: the loss's
        (image, class, cx, cy, w, h) rows, made (class, x1, y1, x2, y2) here."""
        centres, sizes = targets[:, 2:4], targets[:, 4:6]
        corners = np.concatenate([centres - sizes / 2, centres + sizes / 2], 1)
        truths = np.concatenate([targets[:, 1:2], corners], 1).astype(np.float32)
        for image in range(len(per_image)):
            self.found.append(found[found[:, 0] == image, 1:])
            self.truths.append(truths[targets[:, 0] == image])

    def accumulate(self) -> list:
        return []  # nothing per batch: see the class's docstring

    def name(self) -> list:
        return []


def build_detector(config: dict, data: dict) -> paddle.Model:
    """`config`: the run's whole config; `data`: channels, image_size, class_names,
    mean and std."""
    cfg = OmegaConf.create(config)
    num_classes = len(data["class_names"])
    network = build_model(cfg.model, data["channels"], num_classes, data["image_size"])
    model = lean(paddle.Model(Normalized(network, data["mean"], data["std"])))
    model.config, model.data = config, data  # kept in checkpoints, for eval and predict
    model.box_scores = BoxScores(network)
    return model


def prepare(model: paddle.Model, optimizer=None, amp_configs=None) -> None:
    """Loss and metrics (and, to train, the optimizer and precision) for fit/evaluate."""
    network = model.network.network
    model.prepare(
        optimizer, YoloLoss(network), [model.box_scores], amp_configs=amp_configs
    )
