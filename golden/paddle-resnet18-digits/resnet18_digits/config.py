"""The typed schema every YAML file and command-line override is checked against.

OmegaConf refuses unknown keys and values of the wrong type against these dataclasses,
so a typo fails before any training starts.
"""

from dataclasses import dataclass, field
from typing import Any, Literal


@dataclass
class ModelConfig:
    name: str = "resnet18"
    # true: the torchvision weights; a path: a .pth/.safetensors/.ckpt file; false: none
    pretrained: bool | str = False
    # 3x3 stride-1 first conv and no max-pool; null: on for images of 64 px or less
    small_input_stem: bool | None = None


@dataclass
class AugmentConfig:
    random_crop_padding: int = 0  # pixels of padding before a random crop; 0: off
    horizontal_flip: bool = False


@dataclass
class DataConfig:
    name: str = "digits"
    root: str = "data"
    url: str | None = None  # a mirror to download from; null: the official host
    verify_checksums: bool = True
    batch_size: int = 128
    num_workers: int = 0
    val_fraction: float = 0.1
    split_seed: int = 0  # fixes which training images become the validation set
    augment: AugmentConfig = field(default_factory=AugmentConfig)


@dataclass
class TrainerConfig:
    """Keys keep pytorch_lightning.Trainer's names and meaning."""

    max_epochs: int = 10
    max_steps: int = -1
    accelerator: Literal["auto", "cpu", "gpu", "cuda", "mps"] = "auto"
    devices: int | str = "auto"
    precision: Literal["auto", "32-true", "16-mixed", "bf16-mixed"] = "auto"
    accumulate_grad_batches: int = 1
    gradient_clip_val: float | None = None
    limit_train_batches: int | float = 1.0
    limit_val_batches: int | float = 1.0
    limit_test_batches: int | float = 1.0
    log_every_n_steps: int = 50
    enable_progress_bar: bool = True


@dataclass
class CheckpointConfig:
    monitor: str = "val/acc"  # picks the best checkpoint and drives early stopping
    mode: Literal["max", "min"] = "max"
    early_stopping_patience: int | None = None  # epochs without gain; null: off


@dataclass
class Config:
    model: ModelConfig = field(default_factory=ModelConfig)
    data: DataConfig = field(default_factory=DataConfig)
    optimizer: Any = None  # typed by its `name`: see options.py
    scheduler: Any = None
    trainer: TrainerConfig = field(default_factory=TrainerConfig)
    checkpoint: CheckpointConfig = field(default_factory=CheckpointConfig)
    loggers: list[str] = field(default_factory=lambda: ["tensorboard", "csv"])
    seed: int = 42
    ckpt_path: str | None = None  # resume training from this checkpoint
    output_dir: str = "runs"  # each run writes its own directory here


GROUPS = ("model", "data", "optimizer", "scheduler", "trainer")
LOGGERS = ("tensorboard", "csv")
