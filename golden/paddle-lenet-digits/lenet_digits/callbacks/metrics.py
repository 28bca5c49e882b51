"""Per-epoch metrics under the names both backends share (train/loss, val/acc, ...).

paddle.Model logs each batch's loss; these are means over all images of the epoch, and
land in `model.epoch_metrics` for the callbacks after this one. A mix of datasets adds
each source's accuracy (val/acc/<source>): its validation and test batches carry each
image's source after its label, which paddle.Model hands the loss and the metrics as a
second label, and SourceAccuracy counts by it.
"""

import math

import numpy as np
import paddle
from paddle.callbacks import Callback

from ..errors import loss_not_finite


class Mean:
    def __init__(self) -> None:
        self.total, self.count = 0.0, 0

    def add(self, value: float, count: int) -> None:
        self.total, self.count = self.total + value * count, self.count + count

    @property
    def value(self) -> float:
        return self.total / max(self.count, 1)


class EpochMetrics(Callback):
    def __init__(self, stage: str = "val", first_epoch: int = 0) -> None:
        super().__init__()
        self.stage = stage  # "val" during fit, "test" for evaluate
        self.train, self.evaluated = Mean(), Mean()
        self.epoch, self.steps = first_epoch, 0

    def on_epoch_begin(self, epoch, logs=None) -> None:
        self.train, self.epoch = Mean(), self.epoch + 1

    def on_train_batch_end(self, step, logs=None) -> None:
        loss = float(logs["loss"][0])
        self.steps += 1
        if not math.isfinite(loss):  # it never recovers: stop, say where and how
            lr = self.model._optimizer.get_lr()
            raise loss_not_finite(loss, self.steps, self.epoch, lr)
        self.train.add(loss, logs["batch_size"])

    def on_eval_begin(self, logs=None) -> None:
        self.evaluated = Mean()

    def on_eval_batch_end(self, step, logs=None) -> None:
        self.evaluated.add(logs["loss"][0], logs["batch_size"])

    def on_eval_end(self, logs=None) -> None:
        metrics = {"train/loss": self.train.value} if self.train.count else {}
        metrics[f"{self.stage}/loss"] = self.evaluated.value
        metrics[f"{self.stage}/acc"] = float(logs.get("acc_top1", logs.get("acc")))
        if "acc_top5" in logs:
            metrics[f"{self.stage}/acc_top5"] = float(logs["acc_top5"])
        for key in logs:  # a mix's sources, one by one: SourceAccuracy below
            if key.startswith("acc/"):
                metrics[f"{self.stage}/{key}"] = float(logs[key])
        self.model.epoch_metrics = metrics


class SourceAccuracy(paddle.metric.Metric):
    def __init__(self, sources: list[str]) -> None:
        super().__init__()
        self.sources = sources
        self.reset()

    def reset(self) -> None:
        self.correct = np.zeros(len(self.sources))
        self.count = np.zeros(len(self.sources))

    """acc/<source> per source of a mix; EpochMetrics puts the stage in front."""

    def compute(self, pred, *labels):
        """(correct or not, source) per image; training batches carry no source."""
        if len(labels) < 2 or labels[0].dtype not in (paddle.int32, paddle.int64):
            return paddle.zeros([0]), paddle.zeros([0], dtype="int64")
        labels, sources = labels[0], labels[1]
        hit = pred.argmax(axis=-1) == labels.flatten()
        return hit.astype("float32"), sources.flatten()

    def update(self, hit, sources) -> None:
        hit, sources = np.asarray(hit), np.asarray(sources).astype(np.int64)
        n = len(self.sources)
        self.correct += np.bincount(sources, weights=hit, minlength=n)[:n]
        self.count += np.bincount(sources, minlength=n)[:n]

    def accumulate(self) -> list[float]:
        return list(self.correct / np.maximum(self.count, 1))

    def name(self) -> list[str]:
        return [f"acc/{source}" for source in self.sources]
