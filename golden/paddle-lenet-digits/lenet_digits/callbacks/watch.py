"""Watch checkpoint.monitor: keep last.* every epoch, best.* when it improves, and stop
after early_stopping_patience epochs without improvement."""

from pathlib import Path

from paddle.callbacks import Callback

from ..checkpoint import save_checkpoint


class Watch(Callback):
    def __init__(self, folder: Path, cfg, first_epoch: int = 0, best=None) -> None:
        super().__init__()
        self.folder, self.cfg = folder, cfg
        self.epoch, self.best, self.waited = first_epoch, best, 0
        self.best_path = ""

    def on_epoch_begin(self, epoch, logs=None) -> None:
        self.epoch += 1

    def on_eval_end(self, logs=None) -> None:
        value = self.model.epoch_metrics[self.cfg.monitor]
        better = max if self.cfg.mode == "max" else min
        if self.best is None or better(value, self.best) != self.best:
            self.best, self.waited = value, 0
            self.best_path = str(self.folder / "best.pdparams")
            save_checkpoint(self.model, self.folder / "best", self.epoch, self.best)
        else:
            self.waited += 1
        save_checkpoint(self.model, self.folder / "last", self.epoch, self.best)
        patience = self.cfg.early_stopping_patience
        if patience and self.waited >= patience:
            self.model.stop_training = True
