"""The typed schema of configs/debug/*.yaml (types only: the defaults are in none.yaml)."""

from dataclasses import dataclass
from typing import Literal

from omegaconf import MISSING

HOOKS = (
    "train_batch",
    "val_batch",
)  # where debug.break_at may stop: debugging/hooks.py


@dataclass
class DebugConfig:
    """debug=ipdb and debug.break_at: debugging/session.py."""

    post_mortem: bool = MISSING  # ipdb at the first exception, in the step that raised
    break_at: Literal["train_batch", "val_batch"] | None = MISSING  # its first batch
