"""The pytorch_lightning.Trainer of a run: precision, checkpoints, early stopping, loggers."""

import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pytorch_lightning as pl
import torch
from pytorch_lightning.callbacks import (
    Callback,
    EarlyStopping,
    LearningRateMonitor,
    ModelCheckpoint,
)

from .checkpoint_io import WholeCheckpointIO
from .ddp_stops import SyncedStops
from .epoch_seeds import EpochSeeds
from .errors import UserError
from .profiling.profiler import Profiling
from .scaling.launchers import layout
from .speed.ema import WeightAverage
from .tracking.loggers import ConfigParams, build_loggers

SHOWN = ("train/loss", "val/loss", "val/acc", "val/miou", "val/map")  # epoch lines


def check_accelerator(accelerator: str) -> None:
    """Refuse a GPU request on a machine without one, in the words the Paddle twin uses."""
    if accelerator in ("gpu", "cuda") and not torch.cuda.is_available():
        raise UserError(
            f"trainer.accelerator={accelerator}: no GPU is visible here;"
            " use trainer.accelerator=auto or cpu"
        )


def resolve_precision(precision: str, accelerator: str) -> str:
    """`auto`: bf16-mixed on GPUs that have bf16, 16-mixed on older GPUs, 32-true on CPU."""
    gpu = torch.cuda.is_available() and accelerator in ("auto", "gpu", "cuda")
    if precision == "16-mixed" and not gpu:
        raise UserError(
            "trainer.precision=16-mixed needs a GPU; on CPU use 32-true or bf16-mixed"
        )
    if precision != "auto":
        return precision
    if gpu:
        return "bf16-mixed" if torch.cuda.is_bf16_supported() else "16-mixed"
    return "32-true"


def build_trainer(cfg, run_dir: Path, extra: Sequence = ()) -> pl.Trainer:
    watch = cfg.checkpoint
    folder = run_dir / "checkpoints"
    callbacks = [
        ModelCheckpoint(
            folder, filename="best", monitor=watch.monitor, mode=watch.mode
        ),
        # Its own callback: save_last=True refreshes last.ckpt only in epochs that improve
        # on the best, and resuming must start from the true last epoch.
        ModelCheckpoint(folder, filename="last", monitor=None, save_top_k=1),
        EpochSeeds(cfg.seed),
        SyncedStops(),
        *extra,
    ]
    if cfg.speed.ema:  # validation and checkpoints with the averaged weights
        callbacks.append(WeightAverage(cfg.speed.ema))
    if watch.early_stopping_patience:
        callbacks.append(
            EarlyStopping(
                watch.monitor, mode=watch.mode, patience=watch.early_stopping_patience
            )
        )
    loggers = build_loggers(cfg, run_dir)
    if loggers:
        callbacks += [LearningRateMonitor(logging_interval="step"), ConfigParams(cfg)]
    options = dict(cfg.trainer) | layout(cfg.trainer)  # auto: torchrun's, SLURM's
    if options.pop("profile"):  # trainer=profile; not a key of Lightning's Trainer
        callbacks.append(Profiling(run_dir))
    del options["compile"]  # onefit's own key: applied by speed/apply.py
    options["precision"] = resolve_precision(
        options["precision"], options["accelerator"]
    )
    options["enable_progress_bar"] = use_progress_bar(options["enable_progress_bar"])
    if not options["enable_progress_bar"]:
        callbacks.append(EpochLines())
    return pl.Trainer(
        **options,
        default_root_dir=run_dir,
        callbacks=callbacks,
        logger=loggers or False,
        enable_model_summary=False,  # the run prints its own one-line summary
        plugins=[WholeCheckpointIO()],
    )


class EpochLines(Callback):
    """One line per epoch where a progress bar would only garble the log (CI, files)."""

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
