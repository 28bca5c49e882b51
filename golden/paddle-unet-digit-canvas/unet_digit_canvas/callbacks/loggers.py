"""TensorBoard and CSV logs with the Lightning twin's tags: train/lr every
log_every_n_steps, the epoch metrics after each validation. The TensorBoard events are
written with the tensorboard package's own writer, with the run's row of the HParams
tab (tracking/hparams.py). The trackers (wandb, mlflow: tracking/trackers.py) get the
same values under the same names."""

import csv
import io
import time
from pathlib import Path

from omegaconf import OmegaConf
from paddle.callbacks import Callback
from tensorboard.compat.proto.event_pb2 import Event
from tensorboard.compat.proto.summary_pb2 import Summary
from tensorboard.summary.writer.event_file_writer import EventFileWriter

from ..tracking.hparams import HParamsSession


class Logs(Callback):
    def __init__(self, run_dir: Path, cfg, first_epoch: int = 0, trackers=()):
        super().__init__()
        self.trackers = trackers  # wandb, mlflow: tracking/trackers.py
        self.csv_path = run_dir / "metrics.csv" if "csv" in cfg.loggers else None
        self.events = self.hparams = None
        if "tensorboard" in cfg.loggers:
            config = OmegaConf.to_container(cfg, resolve=True)
            board = run_dir / "tensorboard"
            self.events = EventFileWriter(str(board))
            self.hparams = HParamsSession(board, config)
        self.every, self.step, self.epoch = (
            cfg.trainer.log_every_n_steps,
            0,
            first_epoch,
        )
        self.rows = []
        if first_epoch and self.csv_path and self.csv_path.is_file():  # resumed
            with open(self.csv_path, newline="") as f:
                self.rows = list(csv.DictReader(f))
            self.step = max((int(row["step"]) + 1 for row in self.rows), default=0)

    def on_epoch_begin(self, epoch, logs=None) -> None:
        self.epoch += 1

    def on_train_batch_end(self, step, logs=None) -> None:
        self.step += 1  # logged from 0 below, as Lightning counts steps
        if self.step % self.every == 0:
            self.log({"train/lr": self.model._optimizer.get_lr()}, with_epoch=False)

    def on_eval_end(self, logs=None) -> None:
        self.log(self.model.epoch_metrics)

    def log(self, metrics: dict, with_epoch: bool = True) -> None:
        epoch, step = self.epoch - 1, self.step - 1
        tagged = {**metrics, "epoch": epoch} if with_epoch else metrics
        for tracker in self.trackers:
            tracker.log(tagged, step)
        if self.events:
            values = [Summary.Value(tag=k, simple_value=v) for k, v in tagged.items()]
            event = Event(
                wall_time=time.time(), step=step, summary=Summary(value=values)
            )
            self.events.add_event(event)
            self.events.flush()
        if self.csv_path:
            self.rows.append({"epoch": epoch, "step": step, **metrics})
            names = sorted({k for row in self.rows for k in row} - {"epoch", "step"})
            columns = ["epoch", "step", *names]
            with open(self.csv_path, "w", newline="") as f:
                writer = csv.DictWriter(f, columns)
                writer.writeheader()
                writer.writerows(self.rows)

    def picture(self, tag: str, image) -> None:
        """A PIL image in TensorBoard's IMAGES tab, at the step the scalars are at."""
        png = io.BytesIO()
        image.save(png, format="PNG")
        summary = Summary.Image(
            height=image.height,
            width=image.width,
            colorspace=3,
            encoded_image_string=png.getvalue(),
        )
        value = Summary.Value(tag=tag, image=summary)
        event = Event(
            wall_time=time.time(), step=self.step - 1, summary=Summary(value=[value])
        )
        self.events.add_event(event)
        self.events.flush()

    def close(self, status: str) -> None:
        """status: the run's record's (finished, interrupted, failed: ...)."""
        for tracker in self.trackers:
            tracker.finish(status)
        if self.events:
            self.events.close()
            self.hparams.finish(status)
