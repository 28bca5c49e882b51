"""debug.break_at: ipdb at the first batch of a hook, the batch and the model in scope."""

import sys

import paddle

from .stop import stop_at


class BreakAt(paddle.callbacks.Callback):
    """Stops once, at the first batch of `hook`: train_batch (before its step) or
    val_batch (the first evaluation's)."""

    def __init__(self, hook: str) -> None:
        super().__init__()
        self.hook, self.stopped = hook, False

    def on_train_batch_begin(self, step, logs=None) -> None:
        self.stop("train_batch")

    def on_eval_batch_begin(self, step, logs=None) -> None:
        self.stop("val_batch")

    def stop(self, hook: str) -> None:
        if hook == self.hook and not self.stopped:
            self.stopped = True
            stop_at(hook, loop_batch(), self.model)


def loop_batch():
    """The batch paddle.Model's loop is on: its callbacks are not given it, so it is
    read from the loop's frame (paddle.hapi's _run_one_epoch calls it `data`)."""
    frame = sys._getframe()
    while frame is not None and frame.f_code.co_name != "_run_one_epoch":
        frame = frame.f_back
    return None if frame is None else frame.f_locals.get("data")


def breakpoints(debug) -> list:
    """The callbacks train() adds for `debug` (configs/debug/)."""
    return [BreakAt(debug.break_at)] if debug.break_at else []
