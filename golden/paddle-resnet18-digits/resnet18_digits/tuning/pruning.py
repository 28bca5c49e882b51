"""A trial's epochs told to Optuna: after each validation the trial reports hpo.metric,
and the pruner may stop it there (optuna.TrialPruned) when it does worse than the
trials before it did by that epoch. train() places this callback after the logs, so
the epoch that stops a trial is logged."""

import optuna
from paddle.callbacks import Callback

from ..errors import UserError
from .trial_record import note_trial


class Pruning(Callback):
    def __init__(self, trial: optuna.Trial, metric: str, direction: str) -> None:
        super().__init__()
        self.trial, self.metric = trial, metric
        self.better = max if direction == "maximize" else min
        self.best: float | None = None  # the trial's value: its best epoch's metric
        self.refusal: UserError | None = None  # a metric this run does not log
        self.epoch = 0

    def on_train_begin(self, logs=None) -> None:
        note_trial(self.trial)  # record.json says which trial this run is, from now on

    def on_eval_end(self, logs=None) -> None:
        logged = self.model.epoch_metrics
        if self.metric not in logged:
            names = ", ".join(sorted(k for k in logged if k.startswith("val/")))
            self.refusal = UserError(
                f"hpo.metric={self.metric} is not logged by this run; it logs {names}"
            )
            raise self.refusal
        value, self.epoch = float(logged[self.metric]), self.epoch + 1
        self.best = value if self.best is None else self.better(self.best, value)
        self.trial.report(value, self.epoch - 1)
        if self.trial.should_prune():
            raise optuna.TrialPruned(
                f"at epoch {self.epoch}: {self.metric} {value:.4f}"
            )
