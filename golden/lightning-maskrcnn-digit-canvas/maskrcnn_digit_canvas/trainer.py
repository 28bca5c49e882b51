"""The pytorch_lightning.Trainer of a run: precision, checkpoints, early stopping, loggers."""

from collections.abc import Sequence
from pathlib import Path

import pytorch_lightning as pl
import torch
from pytorch_lightning.callbacks import LearningRateMonitor, TQDMProgressBar

from .checkpoint_io import WholeCheckpointIO
from .ddp_stops import SyncedStops
from .epoch_seeds import EpochSeeds
from .errors import UserError
from .profiling.profiler import Profiling
from .progress import progress_callback
from .scaling.launchers import layout
from .speed.ema import WeightAverage
from .speed.lean import Checkpoint, EarlyStop, NoProfiler, plain_cuda_check
from .tracking.loggers import ConfigParams, build_loggers


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
        Checkpoint(  # ModelCheckpoint (speed/lean.py)
            folder, filename="best", monitor=watch.monitor, mode=watch.mode
        ),
        # Its own callback: save_last=True refreshes last.ckpt only in epochs that improve
        # on the best, and resuming must start from the true last epoch.
        Checkpoint(folder, filename="last", monitor=None, save_top_k=1),
        EpochSeeds(cfg.seed),
        SyncedStops(),
        *extra,
    ]
    if cfg.speed.ema:  # validation and checkpoints with the averaged weights
        callbacks.append(WeightAverage(cfg.speed.ema))
    if watch.early_stopping_patience:
        callbacks.append(
            EarlyStop(  # EarlyStopping (speed/lean.py)
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
    shown = progress_callback(options["enable_progress_bar"])  # progress.py
    options["enable_progress_bar"] = isinstance(shown, TQDMProgressBar)
    plain_cuda_check()  # speed/lean.py
    return pl.Trainer(
        **options,
        default_root_dir=run_dir,
        callbacks=[*callbacks, shown],
        logger=loggers or False,
        enable_model_summary=False,  # the run prints its own one-line summary
        plugins=[WholeCheckpointIO()],
        profiler=NoProfiler(),  # speed/lean.py
    )
