"""Optimizer and schedule options: each has its own keys, so each has its own schema.

The composer picks the schema by the option's `name` (configs/optimizer/sgd.yaml says
`name: sgd`), so a copied and renamed option file is still checked.
"""

from dataclasses import dataclass, field


@dataclass
class SGDConfig:
    name: str = "sgd"
    lr: float = 0.1
    weight_decay: float = 5e-4
    momentum: float = 0.9
    nesterov: bool = True


@dataclass
class AdamWConfig:
    name: str = "adamw"
    lr: float = 1e-3
    weight_decay: float = 0.05
    betas: list[float] = field(default_factory=lambda: [0.9, 0.999])


@dataclass
class CosineConfig:
    name: str = "cosine"
    warmup_epochs: float = 1.0
    min_lr_ratio: float = 0.0  # the final learning rate as a fraction of optimizer.lr


@dataclass
class OneCycleConfig:
    name: str = "onecycle"
    pct_start: float = 0.25  # fraction of training spent raising the learning rate


@dataclass
class StepConfig:
    name: str = "step"
    step_size: int = 30  # epochs between decays
    gamma: float = 0.1


@dataclass
class NoSchedulerConfig:
    name: str = "none"


OPTION_SCHEMAS = {  # group -> name -> schema
    "optimizer": {"sgd": SGDConfig, "adamw": AdamWConfig},
    "scheduler": {
        "cosine": CosineConfig,
        "onecycle": OneCycleConfig,
        "step": StepConfig,
        "none": NoSchedulerConfig,
    },
}
