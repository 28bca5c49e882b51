"""The speed section (configs/config.yaml): types only, as config/schema.py's."""

from dataclasses import dataclass

from omegaconf import MISSING


@dataclass
class SpeedConfig:
    """Switches that make a step faster; auto decides from the machine (speed/)."""

    channels_last: bool | str = MISSING  # auto, true or false
    cudnn_benchmark: bool | str = MISSING
    tf32: bool | str = MISSING
    fused_optimizer: bool | str = MISSING
    ema: float | None = MISSING  # a decay (0.999): weights averaged; null: off
