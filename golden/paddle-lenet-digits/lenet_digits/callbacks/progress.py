"""One line per epoch, as the Lightning twin prints where no progress bar is shown."""

import time

from paddle.callbacks import Callback

SHOWN = (
    "train/loss",
    "val/loss",
    "val/acc",
    "val/miou",
    "val/map",
)  # on each epoch line


class EpochLines(Callback):
    def __init__(self, max_epochs: int, first_epoch: int = 0) -> None:
        super().__init__()
        self.max_epochs, self.epoch = max_epochs, first_epoch

    def on_epoch_begin(self, epoch, logs=None) -> None:
        self.epoch += 1
        self.started = time.perf_counter()

    def on_eval_end(self, logs=None) -> None:
        logged = self.model.epoch_metrics
        values = "  ".join(f"{k} {logged[k]:.4f}" for k in SHOWN if k in logged)
        seconds = time.perf_counter() - self.started
        total = self.max_epochs if self.max_epochs > 0 else "?"
        print(f"epoch {self.epoch}/{total}  {values}  ({seconds:.1f} s)", flush=True)
