"""Where a run is tracked besides its directory: TensorBoard's HParams tab, and the
trackers chosen when the project was generated (loggers=[..., wandb, mlflow])."""

import os

# The trackers report errors and usage to their makers from their import on (wandb
# 0.31 looks up its server as an offline run ends): not from here unless set to.
os.environ.setdefault("WANDB_ERROR_REPORTING", "false")
os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
