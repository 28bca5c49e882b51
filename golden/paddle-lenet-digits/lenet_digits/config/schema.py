"""The typed schema every YAML file and command-line override is checked against.

OmegaConf refuses unknown keys and values of the wrong type against these dataclasses,
so a typo fails before any training starts. They hold types only: every default lives
once, in configs/ (a key no YAML sets is reported as missing, never silently filled).
"""

from dataclasses import dataclass, field
from typing import Any, Literal

from omegaconf import MISSING

from .debug_schema import DebugConfig
from .scaling_schema import ScalingConfig
from .speed_schema import SpeedConfig

GROUPS = ("model", "data", "optimizer", "scheduler", "trainer", "debug")


@dataclass
class ModelConfig:
    name: str = MISSING
    pretrained: bool | str = MISSING  # true, false, or a weights file
    freeze: Any = MISSING  # null, backbone, or parameter-name prefixes: trained no more
    small_input_stem: bool | None = MISSING  # null: decided by the image size
    input_channels: int = MISSING  # what images of your own are converted to
    input_size: int = MISSING


@dataclass
class DataConfig:
    name: str = MISSING
    root: str = MISSING
    url: str | None = MISSING  # an archive of your own images: an http(s) URL or a path
    sha256: str | None = MISSING  # the archive's, checked before it is unpacked
    mirrors: list[str] = MISSING  # base URLs tried before the official hosts
    download_timeout: float = MISSING  # seconds a server may stay silent
    verify_checksums: bool = MISSING
    batch_size: int | str = MISSING  # auto: scaling/batch_plan.py
    num_workers: int | str = MISSING  # auto: data/streamed.py's loader_workers
    val_fraction: float = MISSING
    split_seed: int = MISSING
    augment: Any = MISSING  # a preset's name or a list of ops: data/ops.py
    mixup: float = MISSING
    cutmix: float = MISSING
    random_erasing: float = MISSING


@dataclass
class FolderDataConfig(DataConfig):
    """Your own images (data=imagefolder): decoded, resized and split as these say."""

    channels: int = MISSING  # 1: gray, 3: RGB
    image_size: int = MISSING  # every image is resized to image_size x image_size
    test_fraction: float = MISSING  # carved from train when there is no test split
    skip_corrupt: bool = MISSING  # false: an unreadable image stops the run
    in_memory: bool | str = MISSING  # auto: held when they fit (data/in_memory.py)
    decode: Literal["cpu", "device"] = MISSING  # where streamed JPEGs are decoded


@dataclass
class CsvDataConfig(FolderDataConfig):
    csv: str | None = MISSING  # the list of images: path,label[,split] rows


@dataclass
class MixDataConfig(DataConfig):
    """Several datasets as one (data=mix): data/mix.py."""

    channels: int = MISSING  # every source is converted to these channels
    image_size: int = MISSING  # and resized to image_size x image_size
    labels: Literal["shared", "disjoint"] = MISSING
    sources: Any = MISSING  # [{name: mnist, weight: 0.7, <data keys>}, ...]


@dataclass
class TrainerConfig:
    """Keys keep pytorch_lightning.Trainer's names and meaning."""

    max_epochs: int = MISSING
    max_steps: int = MISSING
    accelerator: Literal["auto", "cpu", "gpu", "cuda", "mps"] = MISSING
    devices: int | str = MISSING
    precision: Literal["auto", "32-true", "16-mixed", "bf16-mixed"] = MISSING
    accumulate_grad_batches: int = MISSING
    strategy: str = MISSING  # Lightning's: auto, ddp, ...; paddle: auto or ddp
    num_nodes: int | str = MISSING  # auto: as torchrun or SLURM started the job
    sync_batchnorm: bool = MISSING
    gradient_clip_val: float | None = MISSING
    limit_train_batches: int | float = MISSING
    limit_val_batches: int | float = MISSING
    limit_test_batches: int | float = MISSING
    log_every_n_steps: int = MISSING
    enable_progress_bar: bool = MISSING
    profile: bool = MISSING  # trainer=profile: profiling/ (not a Lightning Trainer key)
    compile: bool | str = MISSING  # auto, true or false: speed/choices.py


@dataclass
class CheckpointConfig:
    monitor: str = MISSING
    mode: Literal["max", "min"] = MISSING
    early_stopping_patience: int | None = MISSING


@dataclass
class Config:
    model: ModelConfig = field(default_factory=ModelConfig)
    data: DataConfig = field(default_factory=DataConfig)
    optimizer: Any = MISSING  # typed by its `name`: options.py
    scheduler: Any = MISSING
    trainer: TrainerConfig = field(default_factory=TrainerConfig)
    scaling: ScalingConfig = field(default_factory=ScalingConfig)
    speed: SpeedConfig = field(default_factory=SpeedConfig)  # speed/choices.py
    checkpoint: CheckpointConfig = field(default_factory=CheckpointConfig)
    loggers: list[str] = MISSING
    seed: int = MISSING
    ckpt_path: str | None = MISSING
    output_dir: str = MISSING
    report: bool = MISSING  # report.html at the end of each run
    experiment: str | None = MISSING  # configs/experiment/<name>.yaml, or null
    env: str | None = MISSING  # configs/env/<name>.yaml, or null
    stages: Any = MISSING  # null, or the experiment's stages: config/layers.py
    stage: Any = MISSING  # null, or which stage of a series this run is
    debug: DebugConfig = field(default_factory=DebugConfig)  # configs/debug/
