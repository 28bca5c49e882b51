"""Per-epoch metrics under the names both backends share (train/loss, val/map, ...).

paddle.Model logs each batch's loss; these are means over all images of the epoch, and
land in `model.epoch_metrics` for the callbacks after this one. COCO's scores are the
epoch's own already (detector.py's BoxScores evaluates all its boxes at once).
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
        scores = self.model.box_scores.scores
        for key in ("map", "map50", "map75"):
            metrics[f"{self.stage}/{key}"] = scores[key]
        if self.stage == "test":  # each class with a true box: test/ap/<class>
            names = self.model.data["class_names"]
            for index, ap in scores["ap"].items():
                metrics[f"test/ap/{names[index]}"] = ap
        self.model.epoch_metrics = metrics
