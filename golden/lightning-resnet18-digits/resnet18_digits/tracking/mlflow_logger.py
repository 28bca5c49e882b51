"""MLflow for a run (loggers=[..., mlflow]): Lightning's MLFlowLogger, the run's params,
its metrics per epoch under the names TensorBoard shows, and its test metrics.

mlflow.tracking_uri is sqlite:///mlflow.db by default: one database, beside runs/, for
every run of the project (MLflow's file store is refused by MLflow 3). See the runs with
the full mlflow package: `mlflow ui --backend-store-uri sqlite:///mlflow.db`. A resumed
run (train.py ckpt_path=) goes on in the MLflow run it began, under the same run_id.
"""

from pathlib import Path

from mlflow import MlflowClient
from pytorch_lightning.loggers import MLFlowLogger
from pytorch_lightning.utilities import rank_zero_only

from .mlflow_runs import STATUSES, earlier_run


class RunMLFlowLogger(MLFlowLogger):
    def __init__(self, section, run_dir: Path) -> None:
        """section: the config's `mlflow` section (tracking_uri, experiment)."""
        client = MlflowClient(section.tracking_uri)
        self.resumed = earlier_run(client, section.experiment, run_dir)
        super().__init__(
            experiment_name=section.experiment,
            run_name=run_dir.name,
            tracking_uri=section.tracking_uri,
            tags={"run_dir": str(run_dir.resolve())},
            run_id=self.resumed,  # resumed: the same run goes on
        )

    @rank_zero_only
    def log_hyperparams(self, params, *args, **kwargs) -> None:
        if not self.resumed:
            return super().log_hyperparams(params)
        # MLflow keeps a param's first value (a changed one is refused): a resumed
        # run's params are its start's; it is running again.
        self.experiment.update_run(self.resumed, "RUNNING")

    def finish(self, status: str) -> None:
        if self._initialized:  # Lightning marked it FINISHED after the fit
            self.experiment.set_terminated(self.run_id, STATUSES.get(status, "FAILED"))
