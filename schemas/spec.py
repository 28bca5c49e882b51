"""The spec: what `gen new` builds, from flags or a YAML file (`gen schema` for editors).

Field rules live here; rules that need the catalog (does this model exist, on this
backend, for this task?) read it from the validation context: see `validate_spec`.
"""

import keyword
import sys
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from .catalog import Backend, Catalog, Optimizer, Scheduler, Task
from .rules import check_data, check_features, check_model

NAME_PATTERN = r"^[a-z][a-z0-9_-]{0,62}$"
# Package names that would shadow a module the emitted code imports, or its own folders.
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
TAKEN |= {"tensorboard", "pytest", "conftest", "tests", "configs", "runs", "data"}
TAKEN |= {"train", "eval", "predict"}


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
    loggers: list[Literal["tensorboard", "csv"]] = ["tensorboard", "csv"]
    seed: int = 42


class Spec(BaseModel):
    """One training project. Field order matters: later checks read earlier fields."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(
        None,
        pattern=NAME_PATTERN,
        description="project and folder name; null: <model>-<data>",
    )
    backend: Backend = "lightning"
    task: Task = "classification"
    model: str = Field(description="a catalog model: gen list models")
    data: str = Field("digits", description="a catalog dataset: gen list data")
    features: list[str] = Field([], description="optional features: gen list features")
    train: Training = Training()

    @field_validator("name")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        package = (value or "").replace("-", "_")
        if (
            package in TAKEN
            or package in sys.stdlib_module_names
            or keyword.iskeyword(package)
        ):
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


def catalog_of(info: ValidationInfo) -> Catalog:
    if not info.context or "catalog" not in info.context:
        raise RuntimeError("validate a Spec with validate_spec(raw, catalog)")
    return info.context["catalog"]


def validate_spec(raw: dict[str, Any], catalog: Catalog) -> Spec:
    """A Spec whose model, data and features exist in `catalog` and fit each other."""
    return Spec.model_validate(raw, context={"catalog": catalog})
