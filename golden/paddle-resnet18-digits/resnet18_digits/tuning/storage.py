"""Where a study lives, so that workers share it and a stopped search resumes: Optuna's
own storages. `hpo.storage` null keeps a journal file in the search's folder; a path
names a journal file elsewhere (a filesystem every worker sees: NFS works, it locks
with links); a URL (sqlite:///hpo.db, postgresql://host/db) names a database.

Each running trial says it is alive every `hpo.heartbeat_s` seconds; one silent for
three of those (its process was killed, its machine lost) is marked FAILED by the next
worker that looks, and its run's record.json says `killed`. Optuna's database storage
does this itself; its journal storage has no heartbeat, so JournalWithHeartbeat adds
one, through the same hooks optuna's optimize loop calls.
"""

import time
from pathlib import Path

import optuna
from optuna.storages import JournalStorage, RDBStorage
from optuna.storages._heartbeat import BaseHeartbeat  # pinned optuna: a stable hook
from optuna.storages.journal import JournalFileBackend
from optuna.trial import TrialState

from ..errors import UserError
from .trial_record import mark_killed

GRACE = 3  # heartbeats a trial may miss before it counts as dead


def open_storage(storage: str | None, folder: Path, heartbeat_s: int):
    """The storage `hpo.storage` names (null: <folder>/study.journal)."""
    if storage and "://" in storage:
        for attempt in range(5):  # workers started at once: one makes the tables
            try:
                return RDBStorage(
                    storage,
                    heartbeat_interval=heartbeat_s,
                    grace_period=GRACE * heartbeat_s,
                    heartbeat_stale_trial_callback=mark_killed,
                )
            except Exception as error:  # sqlalchemy's: a bad URL, a server not there
                raced = ("UNIQUE constraint", "already exists")  # both made them
                if any(said in str(error) for said in raced) and attempt < 4:
                    time.sleep(0.5 * (attempt + 1))  # the other's tables are ready
                    continue
                first = str(error).splitlines()[0]
                raise UserError(
                    f"hpo.storage={storage}: cannot open it: {first}"
                ) from None
    path = Path(storage) if storage else folder / "study.journal"
    path.parent.mkdir(parents=True, exist_ok=True)
    return JournalWithHeartbeat(JournalFileBackend(str(path)), heartbeat_s)


class JournalWithHeartbeat(JournalStorage, BaseHeartbeat):
    """A journal file whose running trials write the time into it as a heartbeat."""

    def __init__(self, backend, heartbeat_s: int) -> None:
        super().__init__(backend)
        self.heartbeat_s = heartbeat_s

    def record_heartbeat(self, trial_id: int) -> None:
        self.set_trial_system_attr(trial_id, "heartbeat", time.time())

    def _get_stale_trial_ids(self, study_id: int) -> list[int]:
        oldest = time.time() - GRACE * self.heartbeat_s
        running = self.get_all_trials(study_id, False, (TrialState.RUNNING,))
        return [
            trial._trial_id
            for trial in running
            if trial.system_attrs.get("heartbeat", trial.datetime_start.timestamp())
            < oldest
        ]

    def get_heartbeat_interval(self) -> int:
        return self.heartbeat_s

    def get_heartbeat_stale_trial_callback(self):
        return mark_killed


def sampler(cfg, number: int = 0) -> optuna.samplers.BaseSampler:
    """hpo.sampler for trial `number`: seeded with seed + number, so that one seed
    repeats a search, and workers sharing a study, or a resumed one, never draw the
    same values again."""
    seed = None if cfg.seed is None else cfg.seed + number
    if cfg.name == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    return optuna.samplers.TPESampler(n_startup_trials=cfg.startup_trials, seed=seed)


def pruner(cfg) -> optuna.pruners.BasePruner:
    if cfg.name == "median":
        return optuna.pruners.MedianPruner(cfg.startup_trials, cfg.warmup_epochs)
    if cfg.name == "hyperband":
        return optuna.pruners.HyperbandPruner()
    return optuna.pruners.NopPruner()
