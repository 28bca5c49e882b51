"""MLflow for a run (loggers=[..., mlflow]): Lightning's MLFlowLogger, the run's params,
its metrics per epoch under the names TensorBoard shows, and its test metrics.

mlflow.tracking_uri is sqlite:///mlflow.db by default: one database, beside runs/, for
every run of the project (MLflow's file store is refused by MLflow 3). See the runs with
the full mlflow package: `mlflow ui --backend-store-uri sqlite:///mlflow.db`.
"""

import os
from pathlib import Path

# MLflow 3 reports usage to its makers from its import on, unless told not to.
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")

from pytorch_lightning.loggers import MLFlowLogger

# The record's status as MLflow's: finished, killed (interrupted), failed (any other).
STATUSES = {"finished": "FINISHED", "interrupted": "KILLED"}


class RunMLFlowLogger(MLFlowLogger):
    def __init__(self, section, run_dir: Path) -> None:
        """section: the config's `mlflow` section (tracking_uri, experiment)."""
        super().__init__(
            experiment_name=section.experiment,
            run_name=run_dir.name,
            tracking_uri=section.tracking_uri,
            tags={"run_dir": str(run_dir)},
        )

    def finish(self, status: str) -> None:
        if self._initialized:  # Lightning marked it FINISHED after the fit
            self.experiment.set_terminated(self.run_id, STATUSES.get(status, "FAILED"))
