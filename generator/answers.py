"""A validated spec becomes copier's answers, with catalog recipes filling the gaps.

The one place copier's data is made (`gen new`, `gen validate`, the goldens and the
benches all call it), so the recipes (a model's optimizer and scheduler, a dataset's
epochs and batch size) are read from the catalog here and nowhere else. Its keys are
exactly blueprints/copier.yml's questions: tests/test_spec.py checks.
"""

from typing import Any

from .catalog import CATALOG
from .schemas.spec import Spec


def answers_for(spec: Spec) -> dict[str, Any]:
    model, data, train = (
        CATALOG.models[spec.model],
        CATALOG.datasets[spec.data],
        spec.train,
    )
    return {
        "project_name": spec.project_name,
        "package_name": spec.package_name,
        "backend": spec.backend,
        "task": spec.task,
        "model": spec.model,
        "data": spec.data,
        "features": list(spec.features),
        "epochs": train.epochs or data.epochs_for(spec.task),
        "batch_size": train.batch_size or data.batch_size,
        "optimizer": train.optimizer or model.optimizer,
        "scheduler": train.scheduler or model.scheduler,
        "precision": train.precision,
        "devices": str(train.devices),
        "loggers": list(train.loggers),
        "seed": train.seed,
    }
