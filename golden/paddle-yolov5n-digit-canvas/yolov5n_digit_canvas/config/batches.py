"""Rules only the data can answer, checked once it is read and before a run directory
exists: trainer.limit_*_batches leaves each split a batch (data/checks.py has made sure
that every split has images)."""

import math

from omegaconf import DictConfig

from ..errors import UserError


def check_batches(cfg: DictConfig, sizes: dict[str, int]) -> None:
    """Once the data is read: trainer.limit_*_batches leaves each split at least one
    batch (a share of a few batches can round down to none)."""
    for split, size in sizes.items():
        batches = -(-size // cfg.data.batch_size)
        limit = cfg.trainer[f"limit_{split}_batches"]
        if isinstance(limit, float) and int(batches * limit) < 1:
            least = math.ceil(1000 / batches) / 1000  # rounded up: it leaves one
            raise UserError(
                f"trainer.limit_{split}_batches={limit} leaves none of the {batches}"
                f" {split} batches: use at least {least:g}, or a number of batches"
            )
