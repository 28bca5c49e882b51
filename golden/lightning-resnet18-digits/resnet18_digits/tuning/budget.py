"""What hpo.n_trials counts, over every worker on the study's storage: the trials that
ended by themselves (complete, pruned, failed by an error) and those still running. An
interrupted or killed trial does not count, and another is run in its place; a trial
begun beyond n_trials (two workers saw n_trials - 1 at once) gives way, never run."""

import optuna
from optuna.trial import TrialState


def done(study: optuna.Study, search) -> bool:
    """Whether the study holds hpo.n_trials: trials that ended by themselves (complete,
    pruned, failed by an error) or are running. The dead are found first (FAILED)."""
    optuna.storages.fail_stale_trials(study)
    return counted(study) >= search.hpo.n_trials


def counted(study: optuna.Study, before: int | None = None) -> int:
    """The trials n_trials counts (numbered below `before`, when given)."""
    ended = (TrialState.COMPLETE, TrialState.PRUNED, TrialState.RUNNING)
    return sum(
        (t.state in ended and "stopped" not in t.user_attrs) or "error" in t.user_attrs
        for t in study.get_trials(deepcopy=False)
        if before is None or t.number < before
    )
