"""Per-epoch metrics under the names both backends share (train/loss, val/miou, ...).

paddle.Model logs each batch's loss; these are means over all images of the epoch, and
land in `model.epoch_metrics` for the callbacks after this one. The pixel scores are
the epoch's own already (segmenter.py's PixelScores counts every pixel of it).
"""

import math

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
        metrics[f"{self.stage}/miou"] = float(logs["miou"])
        metrics[f"{self.stage}/pixel_acc"] = float(logs["pixel_acc"])
        for key in logs:  # the test adds each class's IoU: test/iou/<class>
            seen = key.startswith("iou/") and not math.isnan(logs[key])  # else absent
            if seen and self.stage == "test":
                metrics[f"test/{key}"] = float(logs[key])
        self.model.epoch_metrics = metrics
