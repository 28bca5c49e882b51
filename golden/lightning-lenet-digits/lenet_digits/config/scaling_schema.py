"""The scaling section (configs/config.yaml): types only, as config/schema.py's."""

from dataclasses import dataclass
from typing import Literal

from omegaconf import MISSING


@dataclass
class ScalingConfig:
    """How many images an optimizer step sees, and the learning rate for them."""

    effective_batch_size: int | None = MISSING  # held by gradient accumulation
    lr_scaling: Literal["none", "linear", "sqrt"] = MISSING
    lr_batch_size: int = MISSING  # the effective batch optimizer.lr is meant for
    batch_headroom: float = MISSING  # data.batch_size=auto keeps this share free
