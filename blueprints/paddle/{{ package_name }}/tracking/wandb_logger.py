"""Weights & Biases for a run (loggers=[..., wandb]), with the wandb API: offline by
default, its files in <run>/wandb/, the values callbacks/loggers.py logs under the names
TensorBoard and the CSV show (and the Lightning twin's WandbLogger), the config as the
run's config.

Offline, nothing leaves the machine: `wandb sync runs/<run>/wandb/offline-run-*` uploads
a run later. wandb.mode=online sends as it trains (after `wandb login`). A resumed run
(train.py ckpt_path=) goes on in the wandb run it began, under the same id.
"""

from pathlib import Path

import wandb

from .hparams import flat_params


class WandbRun:
    def __init__(self, section, run_dir: Path, config: dict) -> None:
        """section: the config's `wandb` section (project, entity, mode)."""
        self.run = wandb.init(
            project=section.project,
            entity=section.entity,
            mode=section.mode,
            name=run_dir.name,
            id=earlier_id(run_dir),  # resumed: the same run
            resume="allow",
            dir=run_dir,
            config=flat_params(config),
            reinit="create_new",  # tune.py's trials: one run each, in one process
            settings=wandb.Settings(quiet=True),  # where it is, not its whole history
        )
        # Lightning's x-axis: values are logged against trainer/global_step.
        self.run.define_metric("trainer/global_step")
        self.run.define_metric("*", step_metric="trainer/global_step", step_sync=True)

    def log(self, metrics: dict, step: int) -> None:
        self.run.log({**metrics, "trainer/global_step": step})

    def finish(self, status: str) -> None:
        """Exit code 0 for a finished run, 1 for any other (interrupted, failed)."""
        self.run.finish(exit_code=0 if status == "finished" else 1)


def earlier_id(run_dir: Path) -> str | None:
    """The wandb run this run directory began, when it is resumed (train.py ckpt_path=
    a checkpoint of it): wandb's folder of each start ends in its run's id
    (wandb/offline-run-<time>-<id>, or run-<time>-<id> online)."""
    starts = sorted(run_dir.glob("wandb/*run-*-*"))
    return starts[-1].name.rsplit("-", 1)[1] if starts else None
