"""The trackers besides TensorBoard and the CSV that `loggers` names (gen new --with
wandb, --with mlflow): callbacks/loggers.py's Logs hands each the values it logs, under
the same names, and ends them with the run's status."""

from pathlib import Path


def open_trackers(cfg, run_dir: Path) -> list:
    """A run of each tracker named in cfg.loggers, given the config at its start."""
    return []  # none in this project: gen new --with wandb / --with mlflow adds them
