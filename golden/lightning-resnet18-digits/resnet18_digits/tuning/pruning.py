"""A trial's epochs told to Optuna: after each validation the trial reports hpo.metric,
and the pruner may stop it there (optuna.TrialPruned) when it does worse than the
trials before it did by that epoch.

A Lightning callback of our own: optuna-integration's imports the `lightning` package,
whose callbacks pytorch_lightning.Trainer refuses.
"""

import optuna
from pytorch_lightning.callbacks import Callback

from ..errors import UserError
from .trial_record import note_trial


class Pruning(Callback):
    def __init__(self, trial: optuna.Trial, metric: str, direction: str) -> None:
        self.trial, self.metric = trial, metric
        self.better = max if direction == "maximize" else min
        self.best: float | None = None  # the trial's value: its best epoch's metric
        self.refusal: UserError | None = None  # a metric this run does not log

    def on_fit_start(self, trainer, pl_module) -> None:
        note_trial(self.trial)  # record.json says which trial this run is, from now on

    def on_validation_end(self, trainer, pl_module) -> None:
        if trainer.sanity_checking:
            return
        logged = trainer.callback_metrics
        if self.metric not in logged:
            names = ", ".join(sorted(k for k in logged if k.startswith("val/")))
            self.refusal = UserError(
                f"hpo.metric={self.metric} is not logged by this run; it logs {names}"
            )
            raise self.refusal
        value, epoch = float(logged[self.metric]), trainer.current_epoch
        self.best = value if self.best is None else self.better(self.best, value)
        self.trial.report(value, epoch)
        if self.trial.should_prune():
            raise optuna.TrialPruned(f"at epoch {epoch + 1}: {self.metric} {value:.4f}")
