"""The paddle.Model of a segmentation run: the network behind a layer that normalises
its uint8 input, prepared with cross-entropy per pixel, the pixel scores (mean IoU and
pixel accuracy), the optimizer and mixed precision."""

import numpy as np
import paddle
import paddle.nn.functional as F
from omegaconf import OmegaConf
from paddle import nn

from .lean_step import lean
from .models import build_model
from .segmentation_scores import confusion_matrix, segmentation_scores

IGNORED = 255  # mask value of pixels that count for nothing (COCO's crowd regions)


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


class PixelCrossEntropy(nn.Layer):
    """The mean cross-entropy over every pixel whose mask value is not IGNORED."""

    def forward(self, logits, masks):
        masks = masks.astype("int64")
        return F.cross_entropy(logits, masks, ignore_index=IGNORED, axis=1)


class PixelScores(paddle.metric.Metric):
    """miou and pixel_acc, then iou/<class> per class (nan for a class not yet seen),
    from the confusion matrix of every pixel since reset(), counted by numpy as the
    Lightning twin counts it (segmentation_scores.py). EpochMetrics names them."""

    def __init__(self, class_names: list[str]) -> None:
        super().__init__()
        self.class_names = class_names
        self.reset()

    def reset(self) -> None:
        size = len(self.class_names)
        self.confusion = np.zeros((size, size), dtype=np.int64)

    def compute(self, logits, masks):
        return logits.argmax(axis=1), masks

    def update(self, predicted, masks) -> None:
        count = len(self.class_names)
        self.confusion += confusion_matrix(predicted, masks, count, IGNORED)

    def accumulate(self) -> list[float]:
        scores = segmentation_scores(self.confusion)
        return [scores["miou"], scores["pixel_acc"], *scores["iou"]]

    def name(self) -> list[str]:
        return ["miou", "pixel_acc", *(f"iou/{name}" for name in self.class_names)]


def build_segmenter(config: dict, data: dict) -> paddle.Model:
    """`config`: the run's whole config; `data`: channels, image_size, class_names
    (background first), mean and std."""
    cfg = OmegaConf.create(config)
    num_classes = len(data["class_names"])
    network = build_model(cfg.model, data["channels"], num_classes, data["image_size"])
    model = lean(paddle.Model(Normalized(network, data["mean"], data["std"])))
    model.config, model.data = config, data  # kept in checkpoints, for eval and predict
    return model


def prepare(model: paddle.Model, optimizer=None, amp_configs=None) -> None:
    """Loss and metrics (and, to train, the optimizer and precision) for fit/evaluate."""
    model.prepare(
        optimizer,
        PixelCrossEntropy(),
        [PixelScores(model.data["class_names"])],
        amp_configs=amp_configs,
    )
