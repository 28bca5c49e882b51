"""The files a run's config names besides its data: the checkpoint it resumes
(ckpt_path) and a weights file it starts from (model.pretrained). One missing is
refused before anything loads, in the same words by train.py on both twins, tune.py
and doctor.py; so is resuming a run that has no epoch left to train."""

from collections.abc import Callable
from pathlib import Path

from ..errors import UserError


def check_named_files(cfg, epochs_done: Callable[[str], int] | None = None) -> None:
    """epochs_done(ckpt_path): the epochs the checkpoint has trained (the twin's
    reader); None: the files' presence only (doctor.py)."""
    if cfg.ckpt_path and not Path(cfg.ckpt_path).is_file():
        raise UserError(f"ckpt_path={cfg.ckpt_path}: no such file")
    weights = cfg.model.get("pretrained")
    if isinstance(weights, str) and not Path(weights).is_file():
        raise UserError(f"model.pretrained={weights}: no such file")
    if cfg.ckpt_path and epochs_done:
        done, max_epochs = epochs_done(cfg.ckpt_path), cfg.trainer.max_epochs
        if 0 < max_epochs <= done:  # nothing left to train
            raise UserError(
                f"ckpt_path={cfg.ckpt_path}: this run already trained {done} of"
                f" trainer.max_epochs={max_epochs} epochs; raise trainer.max_epochs, or"
                " start a new run from its weights: model.pretrained=<the checkpoint>"
            )
