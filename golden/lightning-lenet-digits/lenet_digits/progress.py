"""What a run shows while it trains: a live bar on a terminal, one line per epoch
elsewhere (CI, files), where a bar would only garble the log."""

import sys
import time

from pytorch_lightning.callbacks import Callback, TQDMProgressBar

SHOWN = ("train/loss", "val/loss", "val/acc", "val/miou", "val/map")  # epoch lines
# Lightning redraws its bar and computes its figures every `refresh_rate` steps; each
# redraw cost ~0.3 ms on a LeNet step of 2.4 ms (BENCHMARKS.md, "The lean step").
REFRESH_STEPS = 10


def progress_callback(enabled: bool) -> Callback:
    """The bar on a terminal (stderr), if enabled; else the epoch lines."""
    if enabled and sys.stderr.isatty():
        return LossBar(refresh_rate=REFRESH_STEPS)
    return EpochLines()


class LossBar(TQDMProgressBar):
    """Lightning's bar, with the epoch's mean training loss so far (task_module.py keeps
    it on the device: read only when the bar redraws, not logged every step)."""

    def get_metrics(self, trainer, pl_module) -> dict:
        shown = super().get_metrics(trainer, pl_module)
        loss = pl_module.mean_loss()  # None before the first training step
        if loss is not None:
            shown["loss"] = f"{loss:.4f}"
        return shown


class EpochLines(Callback):
    """One line per epoch: the epoch's figures and how long it took."""

    def on_train_epoch_start(self, trainer, pl_module) -> None:
        self.started = time.perf_counter()

    def on_train_epoch_end(self, trainer, pl_module) -> None:
        if trainer.sanity_checking or not trainer.is_global_zero:
            return
        logged = trainer.callback_metrics
        values = "  ".join(f"{k} {float(logged[k]):.4f}" for k in SHOWN if k in logged)
        seconds = time.perf_counter() - self.started
        total = trainer.max_epochs if trainer.max_epochs > 0 else "?"
        print(
            f"epoch {trainer.current_epoch + 1}/{total}  {values}  ({seconds:.1f} s)",
            flush=True,
        )
