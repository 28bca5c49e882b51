"""Value rules the types alone cannot say (a batch of 0 images, a fraction above 1)."""

from collections.abc import Callable
from typing import Any

from omegaconf import DictConfig, OmegaConf

from ..data.coco_sets import DATASETS
from ..data.dense_ops import dense_ops
from ..errors import UserError, did_you_mean
from ..seeds import SEEDS
from ..tracking.names import check_loggers
from .metrics import check_metric
from .speed_rules import SPEED_RULES
from .export_rules import check_export

AT_LEAST_1 = (lambda v: v >= 1, "must be at least 1")
AUTO_OR_N = (lambda v: v == "auto" or (type(v) is int and v > 0), "must be auto or N>0")
POSITIVE = (lambda v: v > 0, "must be above 0")
FINITE_POSITIVE = (lambda v: 0 < v < float("inf"), "must be above 0 and finite")
FINITE_NOT_NEGATIVE = (lambda v: 0 <= v < float("inf"), "must be 0 or more, finite")
BELOW_1 = (lambda v: 0 <= v < 1, "must be from 0 to below 1")
ABOVE_0_BELOW_1 = (lambda v: 0 < v < 1, "must be above 0 and below 1")
UP_TO_1 = (lambda v: 0 <= v <= 1, "must be from 0 to 1")
BETAS = (
    lambda v: len(v) == 2 and all(0 <= b < 1 for b in v),
    "must be two numbers from 0 to below 1, e.g. [0.9, 0.999]",
)
EPOCHS_OR_STEPS = (lambda v: v >= 1 or v == -1, "must be at least 1 (-1: no limit)")
SHARE = (lambda v: 0 < v < 1, "must be above 0 and below 1: the split needs images")
CHANNELS = (lambda v: v in (1, 3), "must be 1 (gray) or 3 (RGB)")
IMAGE_SIZE = (lambda v: v >= 4, "must be at least 4 (pixels)")
WORKERS = (
    lambda v: v == "auto" or (type(v) is int and v >= 0),
    "must be auto or a number of processes, 0 or more",
)
SEED = (lambda v: 0 <= v < SEEDS, f"must be 0 to {SEEDS - 1}")
FOLDER = (lambda v: v.strip() != "", "must name a folder, e.g. runs or data")
CLASS_NAMES = (
    lambda v: 0 < len(v) < 255 and len(set(v)) == len(v),
    "must be null (VOC's 20 classes) or 1 to 254 different names",
)

RULES: dict[str, tuple[Callable[[Any], Any], str]] = {
    "seed": SEED,
    "output_dir": FOLDER,
    "data.root": FOLDER,
    "data.batch_size": AUTO_OR_N,
    "data.num_workers": WORKERS,
    "data.split_seed": SEED,
    "data.download_timeout": FINITE_POSITIVE,
    "data.val_fraction": SHARE,
    "data.test_fraction": SHARE,
    "data.classes": CLASS_NAMES,
    "data.channels": CHANNELS,
    "data.image_size": IMAGE_SIZE,
    "optimizer.lr": FINITE_POSITIVE,
    "optimizer.weight_decay": FINITE_NOT_NEGATIVE,
    "optimizer.momentum": BELOW_1,
    "optimizer.betas": BETAS,
    "scheduler.pct_start": ABOVE_0_BELOW_1,
    "scheduler.step_size": AT_LEAST_1,
    "scheduler.gamma": FINITE_POSITIVE,
    "scheduler.min_lr_ratio": UP_TO_1,
    "scheduler.warmup_epochs": FINITE_NOT_NEGATIVE,
    "trainer.max_epochs": EPOCHS_OR_STEPS,
    "trainer.max_steps": EPOCHS_OR_STEPS,
    "trainer.accumulate_grad_batches": AT_LEAST_1,
    "trainer.gradient_clip_val": FINITE_POSITIVE,
    "trainer.limit_train_batches": POSITIVE,
    "trainer.limit_val_batches": POSITIVE,
    "trainer.limit_test_batches": POSITIVE,
    "trainer.num_nodes": AUTO_OR_N,
    "scaling.effective_batch_size": AT_LEAST_1,
    "scaling.lr_batch_size": AT_LEAST_1,
    "scaling.batch_headroom": BELOW_1,
    "trainer.log_every_n_steps": AT_LEAST_1,
    "checkpoint.early_stopping_patience": AT_LEAST_1,
}


def check_values(cfg: DictConfig) -> None:
    """Raise a UserError naming the first key whose value breaks a rule."""
    for key, (rule, meaning) in (RULES | SPEED_RULES).items():
        value = OmegaConf.select(cfg, key, default=None)
        # above a C int (Lightning's islice, torch, paddle): failed deep in a run, or
        # was taken as if it could happen; refused for every key but the seeds (2**32)
        if type(value) is int and value > 2**31 - 1 and rule is not SEED[0]:
            raise UserError(
                f"{key}={value} is not allowed: must be at most {2**31 - 1}"
            )
        if value is not None and not rule(value):
            raise UserError(f"{key}={value} is not allowed: {meaning}")
    if cfg.data.name not in DATASETS:
        hint = did_you_mean(cfg.data.name, DATASETS)
        raise UserError(
            f"unknown dataset data.name={cfg.data.name}.{hint} Known: {', '.join(DATASETS)}"
        )
    dense_ops(cfg.data.augment)  # its form, ops, arguments and their values
    check_export(cfg.export)
    check_loggers(cfg.loggers)
    check_metric("checkpoint", cfg.checkpoint.monitor, cfg.checkpoint.mode)
