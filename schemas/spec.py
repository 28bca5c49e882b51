"""The spec: what `gen new` builds, from flags or a YAML file (`gen schema` for editors).

Field rules live here; rules that need the catalog (does this model exist, on this
backend, for this task?) read it from the validation context: see `validate_spec`.
"""

from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictInt,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .catalog import Backend, Catalog, Optimizer, Scheduler, Task
from .names import NAME_PATTERN, NAME_RULE, package_of, shadow_problem
from .rules import check_data, check_features, check_model, task_defaults

Logger = Literal["tensorboard", "csv"]
# Whole numbers only (strict: YAML's `true`, `2.5` and `"3"` are refused, not
# converted), within what a training run can use; the emitted configs check their own
# copies of these values again.
MAX_DEVICES = 1024
Epochs = Annotated[StrictInt, Field(ge=1, le=100_000)]
BatchSize = Annotated[StrictInt, Field(ge=1, le=65_536)]
Seed = Annotated[StrictInt, Field(ge=0, le=2**32 - 1)]  # numpy's and Lightning's range


class Training(BaseModel):
    """Defaults written into the emitted configs; each stays overridable there."""

    model_config = ConfigDict(extra="forbid")

    epochs: Epochs | None = Field(None, description="null: the dataset's default")
    batch_size: BatchSize | None = Field(
        None, description="null: the dataset's default"
    )
    optimizer: Optimizer | None = Field(None, description="null: the model's recipe")
    scheduler: Scheduler | None = Field(None, description="null: the model's recipe")
    precision: Literal["auto", "32-true", "16-mixed", "bf16-mixed"] = "auto"
    devices: Literal["auto"] | Annotated[int, Field(ge=1, le=MAX_DEVICES)] = Field(
        "auto", description=f"auto, or a count from 1 to {MAX_DEVICES}"
    )
    loggers: list[Logger] = list(get_args(Logger))
    seed: Seed = 42

    @field_validator("devices", mode="before")
    @classmethod
    def _devices(cls, value: Any) -> Any:
        """One message for both halves of the union (pydantic would give two)."""
        if value == "auto" or (type(value) is int and 1 <= value <= MAX_DEVICES):
            return value
        raise PydanticCustomError(
            "devices", "use auto or a count from 1 to {top}", {"top": MAX_DEVICES}
        )


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
    model: str = Field(
        None,  # filled by _task_defaults before any field is checked
        description="a catalog model for the task (gen list models); null: the task's default",
    )
    data: str = Field(
        None,
        description="a catalog dataset for the task (gen list data); null: the task's default",
    )
    features: list[str] = Field([], description="optional features: gen list features")
    train: Training = Training()

    @model_validator(mode="before")
    @classmethod
    def _task_defaults(cls, raw: Any, info: ValidationInfo) -> Any:
        return task_defaults(raw, catalog_of(info))

    @field_validator("name")
    @classmethod
    def _name(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None:
            problem = shadow_problem(value, catalog_of(info).reserved)
            if problem:
                raise ValueError(f"'{value}' {problem}")
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

    @model_validator(mode="after")
    def _default_name(self, info: ValidationInfo) -> "Spec":
        """<model>-<data> must not shadow a module either (the error has no field, so
        its message names one)."""
        name = self.project_name
        if self.name is None:
            problem = shadow_problem(name, catalog_of(info).reserved)
            if problem:
                raise ValueError(
                    f"name: the default name '{name}' {problem} (--name, or name:)"
                )
        return self

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
