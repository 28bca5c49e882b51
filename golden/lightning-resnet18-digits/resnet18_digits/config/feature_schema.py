"""The config sections optional features add (gen list features), typed as
config/schema.py types the others: types only, their defaults in configs/config.yaml."""

from dataclasses import dataclass
from typing import Literal

from omegaconf import MISSING


@dataclass
class ExportConfig:
    """export.py: the exported model's form and the check that it answers as trained."""

    format: str = MISSING  # config/rules.py: EXPORT_FORMATS
    verify: bool = MISSING  # false: no check (said on stderr and in the manifest)
    opset: int = MISSING  # the ONNX operator set
    batch_size: int = MISSING  # the example batch the export is made with
    verify_batch_size: int = MISSING  # another size: the exported batch is dynamic
    verify_images: int = MISSING  # test images compared and scored
    out: str | None = MISSING  # null: runs/<run>/export, beside the checkpoints


@dataclass
class WandbConfig:
    """loggers=[..., wandb]: tracking/wandb_logger.py."""

    project: str = MISSING
    entity: str | None = MISSING  # a team or user; null: the login's own
    mode: Literal["offline", "online"] = MISSING  # offline: kept in <run>/wandb/


@dataclass
class MlflowConfig:
    """loggers=[..., mlflow]: tracking/mlflow_logger.py."""

    tracking_uri: str = MISSING  # sqlite:///mlflow.db, or an MLflow server's URL
    experiment: str = MISSING
