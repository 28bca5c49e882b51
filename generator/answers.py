"""A validated spec becomes copier's answers, with catalog recipes filling the gaps."""

from typing import Any

from schemas.spec import Spec

from .catalog import CATALOG


def answers_for(spec: Spec) -> dict[str, Any]:
    model, data, train = (
        CATALOG.models[spec.model],
        CATALOG.datasets[spec.data],
        spec.train,
    )
    name = spec.project_name
    return {
        "project_name": name,
        "package_name": name.replace("-", "_"),
        "backend": spec.backend,
        "task": spec.task,
        "model": spec.model,
        "data": spec.data,
        "features": list(spec.features),
        "epochs": train.epochs or data.epochs,
        "batch_size": train.batch_size or data.batch_size,
        "optimizer": train.optimizer or model.optimizer,
        "scheduler": train.scheduler or model.scheduler,
        "precision": train.precision,
        "devices": str(train.devices),
        "loggers": list(train.loggers),
        "seed": train.seed,
    }
