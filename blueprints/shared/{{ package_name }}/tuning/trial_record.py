"""A trial's run directory: the one train() opened for it, its record.json told which
trial of which study it is and how the trial ended."""

import os
from pathlib import Path

from ..records.record import end_tracking
from ..records.run_dir import INHERITED, read_record, write_json


def forget_run() -> None:
    """Before a trial: the run directory noted is no longer this process's current one."""
    os.environ.pop(INHERITED, None)


def started_run() -> Path | None:
    """The run directory this process's trial opened (open_run_dir notes it), or None
    when it stopped before (a config or data mistake)."""
    maker, _, path = os.environ.get(INHERITED, "").partition(":")
    return Path(path) if path and maker == str(os.getpid()) else None


def note_trial(trial, status: str | None = None) -> None:
    """Write `trial` (and the status, when given) into its run's record.json."""
    run_dir = started_run()
    record = read_record(run_dir) if run_dir else {}
    if not record:
        return
    trial.set_user_attr("run_dir", str(run_dir.absolute()))  # any worker finds it
    record["trial"] = {
        "study": trial.study.study_name,
        "number": trial.number,
        "params": trial.params,
    }
    write_json(run_dir / "record.json", record | ({"status": status} if status else {}))


def mark_killed(study, trial) -> None:
    """A trial found dead (no heartbeat): its run's record says `killed`, as train.py
    marks a run whose process is gone."""
    if not trial.user_attrs.get("run_dir"):
        return  # it died before its run directory was made
    run_dir = Path(trial.user_attrs["run_dir"])
    record = read_record(run_dir)
    if record.get("status") == "running":
        write_json(run_dir / "record.json", record | {"status": "killed"})
        end_tracking(run_dir)
