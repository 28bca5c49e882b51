"""debug.break_at: ipdb at the first batch of a hook, the batch and the model in scope."""

from pytorch_lightning.callbacks import Callback

from .stop import stop_at


class BreakAt(Callback):
    """Stops once, at the first batch of `hook`: train_batch (before its step) or
    val_batch (the sanity check's first, when the trainer runs one)."""

    def __init__(self, hook: str) -> None:
        self.hook, self.stopped = hook, False

    def on_train_batch_start(self, trainer, pl_module, batch, batch_idx) -> None:
        self.stop("train_batch", batch, pl_module)

    def on_validation_batch_start(
        self, trainer, pl_module, batch, batch_idx, dataloader_idx=0
    ) -> None:
        self.stop("val_batch", batch, pl_module)

    def stop(self, hook: str, batch, model) -> None:
        if hook == self.hook and not self.stopped:
            self.stopped = True
            stop_at(hook, batch, model)


def breakpoints(debug) -> list:
    """The callbacks train() adds for `debug` (configs/debug/)."""
    return [BreakAt(debug.break_at)] if debug.break_at else []
