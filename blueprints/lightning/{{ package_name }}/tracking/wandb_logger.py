"""Weights & Biases for a run (loggers=[..., wandb]): Lightning's WandbLogger, offline by
default, its files in <run>/wandb/, the same metric names as TensorBoard and the CSV.

Offline, nothing leaves the machine: `wandb sync runs/<run>/wandb/offline-run-*` uploads
a run later. wandb.mode=online sends as it trains (after `wandb login`). A resumed run
(train.py ckpt_path=) goes on in the wandb run it began, under the same id.
"""

from pathlib import Path

import wandb
from pytorch_lightning.loggers import WandbLogger


class RunWandbLogger(WandbLogger):
    def __init__(self, section, run_dir: Path) -> None:
        """section: the config's `wandb` section (project, entity, mode)."""
        super().__init__(
            name=run_dir.name,
            id=earlier_id(run_dir),  # resumed: the same run (WandbLogger: resume=allow)
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


def earlier_id(run_dir: Path) -> str | None:
    """The wandb run this run directory began, when it is resumed (train.py ckpt_path=
    a checkpoint of it): wandb's folder of each start ends in its run's id
    (wandb/offline-run-<time>-<id>, or run-<time>-<id> online)."""
    starts = sorted(run_dir.glob("wandb/*run-*-*"))
    return starts[-1].name.rsplit("-", 1)[1] if starts else None
