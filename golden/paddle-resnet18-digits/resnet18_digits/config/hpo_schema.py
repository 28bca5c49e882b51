"""The typed schema of configs/hpo/<name>.yaml, tune.py's search configs (types only:
their values live in those files). A search is no part of a run's config: each trial
is a run of its own, so these stand apart from schema.py."""

from dataclasses import dataclass, field
from typing import Any, Literal

from omegaconf import MISSING


@dataclass
class SamplerConfig:
    """How the next trial's values are drawn (optuna.samplers)."""

    name: Literal["tpe", "random"] = MISSING
    seed: int | None = MISSING  # each trial draws with seed + its number; null: random
    startup_trials: int = MISSING  # tpe: trials drawn at random before it models them


@dataclass
class PrunerConfig:
    """Which trials stop early, judged by their metric after each epoch (optuna.pruners)."""

    name: Literal["median", "hyperband", "none"] = MISSING
    startup_trials: int = MISSING  # median: trials that run whole before any is pruned
    warmup_epochs: int = MISSING  # median: epochs every trial runs before it may stop


@dataclass
class HpoConfig:
    study: str | None = MISSING  # null: the search config's name
    metric: str = MISSING  # a val/ metric, its best epoch is the trial's value
    direction: Literal["maximize", "minimize"] = MISSING
    n_trials: int = MISSING  # trials of the study in total, over every worker
    timeout_s: float | None = MISSING  # this worker starts no trial after it
    storage: str | None = (
        MISSING  # a journal file or a database URL; null: in the folder
    )
    heartbeat_s: int = MISSING  # a running trial says it is alive this often
    train: list[str] = MISSING  # train.py's arguments for every trial
    sampler: SamplerConfig = field(default_factory=SamplerConfig)
    pruner: PrunerConfig = field(default_factory=PrunerConfig)
    space: dict[str, Any] = MISSING  # config key: {type, low, high, log, step, choices}


@dataclass
class TuneConfig:
    hpo: HpoConfig = field(default_factory=HpoConfig)
