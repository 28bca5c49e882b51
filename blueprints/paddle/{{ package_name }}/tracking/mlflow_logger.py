"""MLflow for a run (loggers=[..., mlflow]), with MLflow's client: the config's values as
params, the values callbacks/loggers.py logs (per step and epoch, then the test's) as
metrics under the names TensorBoard shows, and the run's end as its status.

mlflow.tracking_uri is sqlite:///mlflow.db by default: one database, beside runs/, for
every run of the project (MLflow's file store is refused by MLflow 3). See the runs with
the full mlflow package: `mlflow ui --backend-store-uri sqlite:///mlflow.db`. A resumed
run (train.py ckpt_path=) goes on in the MLflow run it began, under the same run_id.
"""

import time
from pathlib import Path

from mlflow import MlflowClient
from mlflow.entities import Metric, Param

from .hparams import flat_params
from .mlflow_runs import STATUSES, earlier_run


class MlflowRun:
    def __init__(self, section, run_dir: Path, config: dict) -> None:
        """section: the config's `mlflow` section (tracking_uri, experiment)."""
        self.client = MlflowClient(section.tracking_uri)
        found = self.client.get_experiment_by_name(section.experiment)
        experiment = (
            found.experiment_id
            if found
            else self.client.create_experiment(section.experiment)
        )
        self.run_id = earlier_run(self.client, section.experiment, run_dir)
        if self.run_id:
            # resumed: the same run goes on, its params its start's (MLflow keeps a
            # param's first value and refuses a changed one)
            self.client.update_run(self.run_id, "RUNNING")
            return
        tags = {"run_dir": str(run_dir.resolve())}
        run = self.client.create_run(experiment, run_name=run_dir.name, tags=tags)
        self.run_id = run.info.run_id
        params = [Param(k, str(v)) for k, v in flat_params(config).items()]
        for start in range(0, len(params), 100):  # MLflow takes 100 a call
            self.client.log_batch(self.run_id, params=params[start : start + 100])

    def log(self, metrics: dict, step: int) -> None:
        now = int(time.time() * 1000)
        values = [Metric(k, float(v), now, step) for k, v in metrics.items()]
        self.client.log_batch(self.run_id, metrics=values)

    def finish(self, status: str) -> None:
        self.client.set_terminated(self.run_id, STATUSES.get(status, "FAILED"))
