"""Watch checkpoint.monitor: keep last.* every epoch, best.* when it improves, and stop
after early_stopping_patience epochs without improvement."""

from pathlib import Path

import paddle
from paddle.callbacks import Callback

from ..checkpoint import save_checkpoint


class Watch(Callback):
    def __init__(self, folder: Path, cfg, resumed: dict) -> None:
        """`resumed`: the checkpoint state a resumed run continues from, else {}."""
        super().__init__()
        self.folder, self.cfg = folder, cfg
        self.epoch, self.best = resumed.get("epoch", 0), resumed.get("best")
        self.waited = resumed.get("waited", 0)
        resumed_best = folder / "best.pdparams"
        self.best_path = str(resumed_best) if self.best is not None else ""

    def on_epoch_begin(self, epoch, logs=None) -> None:
        self.epoch += 1

    def on_eval_end(self, logs=None) -> None:
        value = self.model.epoch_metrics[self.cfg.monitor]
        better = max if self.cfg.mode == "max" else min
        if self.best is None or better(value, self.best) != self.best:
            self.best, self.waited = value, 0
            self.best_path = str(self.folder / "best.pdparams")
            self.save("best")
        else:
            self.waited += 1
        self.save("last")
        patience = self.cfg.early_stopping_patience
        if patience and self.waited >= patience:
            self.model.stop_training = True

    def save(self, name: str) -> None:
        if paddle.distributed.get_rank() > 0:  # rank 0 keeps the run's checkpoints;
            return  # the others' folder is scratch (records/run_dir.py), and paddle's
            # Model.save writes nothing off local rank 0: there was no file to rename
        stem = self.folder / name
        save_checkpoint(self.model, stem, self.epoch, self.best, self.waited)
