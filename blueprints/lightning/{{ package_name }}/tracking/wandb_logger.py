"""Weights & Biases for a run (loggers=[..., wandb]): Lightning's WandbLogger, offline by
default, its files in <run>/wandb/, the same metric names as TensorBoard and the CSV.

Offline, nothing leaves the machine: `wandb sync runs/<run>/wandb/offline-run-*` uploads
a run later. wandb.mode=online sends as it trains (after `wandb login`).
"""

import os
from pathlib import Path

# wandb reports its own errors and usage to its makers, offline too (0.31 looks up
# their server as a run ends): not from here unless WANDB_ERROR_REPORTING=true.
os.environ.setdefault("WANDB_ERROR_REPORTING", "false")

import wandb
from pytorch_lightning.loggers import WandbLogger


class RunWandbLogger(WandbLogger):
    def __init__(self, section, run_dir: Path) -> None:
        """section: the config's `wandb` section (project, entity, mode)."""
        super().__init__(
            name=run_dir.name,
            save_dir=run_dir,
            project=section.project,
            entity=section.entity,
            mode=section.mode,
            settings=wandb.Settings(quiet=True),  # where it is, not its whole history
        )

    def finish(self, status: str) -> None:
        """End the wandb run: exit code 0 for a finished run, 1 for any other."""
        if self._experiment is not None:
            self._experiment.finish(exit_code=0 if status == "finished" else 1)
