"""Value rules the types alone cannot say (a batch of 0 images, a fraction above 1)."""

import re
from collections.abc import Callable
from typing import Any

from omegaconf import DictConfig, OmegaConf

from .config import LOGGERS
from .data.registry import DATASETS
from .errors import UserError, did_you_mean

DEVICES = re.compile(r"auto|-1|\d+|(\d+,)+\d*")

RULES: list[tuple[str, Callable[[Any], bool], str]] = [
    ("data.batch_size", lambda v: v >= 1, "must be at least 1"),
    ("data.num_workers", lambda v: v >= 0, "must be 0 or more"),
    ("data.val_fraction", lambda v: 0 <= v < 1, "must be at least 0 and below 1"),
    ("data.augment.random_crop_padding", lambda v: v >= 0, "must be 0 or more"),
    ("optimizer.lr", lambda v: v > 0, "must be above 0"),
    ("optimizer.weight_decay", lambda v: v >= 0, "must be 0 or more"),
    (
        "trainer.max_epochs",
        lambda v: v >= 1 or v == -1,
        "must be at least 1 (-1: no limit)",
    ),
    (
        "trainer.max_steps",
        lambda v: v >= 1 or v == -1,
        "must be at least 1 (-1: no limit)",
    ),
    ("trainer.accumulate_grad_batches", lambda v: v >= 1, "must be at least 1"),
    (
        "trainer.gradient_clip_val",
        lambda v: v is None or v > 0,
        "must be above 0 or null",
    ),
    (
        "trainer.devices",
        lambda v: DEVICES.fullmatch(str(v)),
        "must be auto, -1, N or 0,1,...",
    ),
    ("trainer.log_every_n_steps", lambda v: v >= 1, "must be at least 1"),
    (
        "checkpoint.early_stopping_patience",
        lambda v: v is None or v >= 1,
        "must be >= 1",
    ),
]


def check_values(cfg: DictConfig) -> None:
    """Raise a UserError naming the first key whose value breaks a rule."""
    for key, rule, meaning in RULES:
        value = OmegaConf.select(cfg, key, default=None)
        if value is not None and not rule(value):
            raise UserError(f"{key}={value} is not allowed: {meaning}")
    if cfg.data.name not in DATASETS:
        hint = did_you_mean(cfg.data.name, DATASETS)
        raise UserError(
            f"unknown dataset data.name={cfg.data.name}.{hint} Known: {', '.join(DATASETS)}"
        )
    for logger in cfg.loggers:
        if logger not in LOGGERS:
            hint = did_you_mean(logger, LOGGERS)
            raise UserError(
                f"unknown logger '{logger}' in loggers.{hint} Known: {', '.join(LOGGERS)}"
            )
