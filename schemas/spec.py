"""The spec: what `gen new` builds, from flags or a YAML file (`gen schema` for editors).

Field rules live here; rules that need the catalog (does this model exist, on this
backend, for this task?) read it from the validation context: see `validate_spec`.
"""

import keyword
import sys
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from .catalog import Backend, Catalog, Optimizer, Scheduler, Task
from .rules import check_data, check_features, check_model

NAME_PATTERN = r"^[a-z][a-z0-9_-]{0,62}$"
NAME_RULE = "lowercase letters, digits, - and _, starting with a letter"  # NAME_PATTERN
# Modules the emitted code imports, and folders it writes at run time: a package of the
# same name would shadow them. The emitted tree's own top-level names (train.py, configs/,
# ...) come from the blueprints themselves: Catalog.reserved.
TAKEN = {
    "torch",
    "torchvision",
    "torchmetrics",
    "numpy",
    "omegaconf",
    "yaml",
    "sklearn",
}
TAKEN |= {"pytorch_lightning", "lightning", "lightning_fabric", "safetensors", "paddle"}
TAKEN |= {"tensorboard", "pytest", "conftest", "runs", "data"}
Logger = Literal["tensorboard", "csv"]


def package_of(project_name: str) -> str:
    """The emitted Python package's name: the project's, importable (- becomes _)."""
    return project_name.replace("-", "_")


class Training(BaseModel):
    """Defaults written into the emitted configs; each stays overridable there."""

    model_config = ConfigDict(extra="forbid")

    epochs: int | None = Field(None, ge=1, description="null: the dataset's default")
    batch_size: int | None = Field(
        None, ge=1, description="null: the dataset's default"
    )
    optimizer: Optimizer | None = Field(None, description="null: the model's recipe")
    scheduler: Scheduler | None = Field(None, description="null: the model's recipe")
    precision: Literal["auto", "32-true", "16-mixed", "bf16-mixed"] = "auto"
    devices: Literal["auto"] | int = Field("auto", description="auto, or a count")
    loggers: list[Logger] = list(get_args(Logger))
    seed: int = 42


class Spec(BaseModel):
    """One training project. Field order matters: later checks read earlier fields."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(
        None,
        pattern=NAME_PATTERN,
        description=f"project and folder name ({NAME_RULE}); null: <model>-<data>",
    )
    backend: Backend = "lightning"
    task: Task = "classification"
    model: str = Field(description="a catalog model: gen list models")
    data: str = Field("digits", description="a catalog dataset: gen list data")
    features: list[str] = Field([], description="optional features: gen list features")
    train: Training = Training()

    @field_validator("name")
    @classmethod
    def _name(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return value
        package = package_of(value)
        taken = TAKEN | catalog_of(info).reserved | set(sys.stdlib_module_names)
        if package in taken or keyword.iskeyword(package):
            raise ValueError(
                f"'{value}' would shadow the Python module {package}; pick another"
            )
        return value

    @field_validator("model")
    @classmethod
    def _model(cls, value: str, info: ValidationInfo) -> str:
        return check_model(value, info.data, catalog_of(info))

    @field_validator("data")
    @classmethod
    def _data(cls, value: str, info: ValidationInfo) -> str:
        return check_data(value, info.data, catalog_of(info))

    @field_validator("features")
    @classmethod
    def _features(cls, value: list[str], info: ValidationInfo) -> list[str]:
        return check_features(value, info.data, catalog_of(info))

    @property
    def project_name(self) -> str:
        return self.name or f"{self.model}-{self.data}".replace("_", "-")

    @property
    def package_name(self) -> str:
        return package_of(self.project_name)


def catalog_of(info: ValidationInfo) -> Catalog:
    if not info.context or "catalog" not in info.context:
        raise RuntimeError("validate a Spec with validate_spec(raw, catalog)")
    return info.context["catalog"]


def validate_spec(raw: dict[str, Any], catalog: Catalog) -> Spec:
    """A Spec whose model, data and features exist in `catalog` and fit each other."""
    return Spec.model_validate(raw, context={"catalog": catalog})
