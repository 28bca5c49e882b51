"""One line per epoch where a progress bar would only garble the log (CI, nohup, files)."""

import sys
import time

from pytorch_lightning.callbacks import Callback

SHOWN = ("train/loss", "val/loss", "val/acc")


class EpochLines(Callback):
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


def use_progress_bar(enabled: bool) -> bool:
    """A live bar only on a terminal; elsewhere EpochLines keeps the log readable."""
    return enabled and sys.stderr.isatty()
