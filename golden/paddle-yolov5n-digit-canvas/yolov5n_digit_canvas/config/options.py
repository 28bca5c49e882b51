"""The schemas of the optimizer, scheduler and data options, one per option `name`.

Optimizers and schedules each have their own keys, so each has its own schema; the
composer picks it by the option's `name`, so a copied and renamed option file is checked.
Datasets share DataConfig; your own images (imagefolder, csv) and a mix of datasets
add their keys to it.
"""

from dataclasses import dataclass

from omegaconf import MISSING

from ..data.coco_sets import DATASETS
from .schema import CocoDataConfig, VocDataConfig, VocFolderDataConfig


@dataclass
class SGDConfig:
    name: str = MISSING
    lr: float = MISSING
    weight_decay: float = MISSING
    momentum: float = MISSING
    nesterov: bool = MISSING


@dataclass
class AdamWConfig:
    name: str = MISSING
    lr: float = MISSING
    weight_decay: float = MISSING
    betas: list[float] = MISSING


@dataclass
class CosineConfig:
    name: str = MISSING
    warmup_epochs: float = MISSING
    min_lr_ratio: float = MISSING


@dataclass
class OneCycleConfig:
    name: str = MISSING
    pct_start: float = MISSING


@dataclass
class StepConfig:
    name: str = MISSING
    step_size: int = MISSING
    gamma: float = MISSING


@dataclass
class NoSchedulerConfig:
    name: str = MISSING


DATA_SCHEMAS = {"voc": VocFolderDataConfig, "voc2012": VocDataConfig}

OPTIONS = {  # group -> name -> schema
    "data": {name: DATA_SCHEMAS.get(name, CocoDataConfig) for name in DATASETS},
    "optimizer": {"sgd": SGDConfig, "adamw": AdamWConfig},
    "scheduler": {
        "cosine": CosineConfig,
        "onecycle": OneCycleConfig,
        "step": StepConfig,
        "none": NoSchedulerConfig,
    },
}
