"""The types of catalog entries: which models, datasets and features exist, and where."""

from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

Backend = Literal["lightning", "paddle"]
Task = Literal["classification", "segmentation", "detection", "instance_segmentation"]
Optimizer = Literal["sgd", "adamw"]
Scheduler = Literal["cosine", "onecycle", "step", "none"]
BACKENDS: tuple[Backend, ...] = get_args(Backend)  # every backend, in `gen list` order
TASKS: tuple[Task, ...] = get_args(Task)


class Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    description: str
    backends: tuple[Backend, ...]
    tasks: tuple[Task, ...] = ("classification",)


class ModelEntry(Entry):
    family: (
        str  # the blueprint code that builds it: resnet, efficientnet, mobilenet, lenet
    )
    # millions: classifiers at 1,000 classes (LeNet: at 10), segmentation models at 21
    # (Pascal VOC's 20 and the background, as torchvision counts them), detectors at 80
    # (COCO's; torchvision's detectors add their background class)
    parameters_m: float
    optimizer: Optimizer  # the recipe a new project starts from
    scheduler: Scheduler


class DatasetEntry(Entry):
    images: str  # "60,000 + 10,000"
    shape: tuple[int, int, int] | None  # channels, height, width; None: your images'
    classes: int | None  # None: read from your files
    download: str | None  # "11 MB"; None: ships with a package, works offline
    epochs: int  # what a new project trains for by default
    batch_size: int
    # (task, epochs) where a task needs other than `epochs`; pairs keep entries hashable
    task_epochs: tuple[tuple[Task, int], ...] = ()

    def epochs_for(self, task: str) -> int:
        return dict(self.task_epochs).get(task, self.epochs)


class FeatureEntry(Entry):
    requires: tuple[str, ...] = ()  # extra packages the emitted repo then depends on
    needs: tuple[str, ...] = ()  # other features it builds on (serve reads an export)


class Catalog(BaseModel):
    model_config = ConfigDict(frozen=True)

    models: dict[str, ModelEntry]
    datasets: dict[str, DatasetEntry]
    features: dict[str, FeatureEntry]
    # What a bare `gen new --task T` builds: (model, dataset), a pair that trains offline.
    # A task without an entry has no models yet.
    defaults: dict[Task, tuple[str, str]] = {}
    # Module names the emitted tree takes itself (train.py, configs/, ...): its package
    # must not shadow one. Read from the blueprints, so a new script is never forgotten.
    reserved: frozenset[str] = frozenset()
