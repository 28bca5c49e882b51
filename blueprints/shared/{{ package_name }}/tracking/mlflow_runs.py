"""The project's MLflow runs by run directory, for both twins: the one a run directory
began (a resumed run goes on in it), and the end of one whose run was killed outright
(SIGKILL, a lost machine): KILLED, written by whoever finds it dead (records/record.py),
where it would say RUNNING for ever."""

import os
from contextlib import contextmanager
from pathlib import Path

from mlflow import MlflowClient

# The record's status as MLflow's: stopped from outside (Ctrl-C, SIGTERM, SIGKILL):
# KILLED; failed: FAILED.
STATUSES = {"finished": "FINISHED", "interrupted": "KILLED", "killed": "KILLED"}
# Ending a dead run's MLflow run is a courtesy to it: a server that does not answer
# gets one try of 5 s (MLflow's default retries for minutes), not the next run's time.
ONE_TRY = {"MLFLOW_HTTP_REQUEST_MAX_RETRIES": "0", "MLFLOW_HTTP_REQUEST_TIMEOUT": "5"}


def earlier_run(client: MlflowClient, experiment: str, run_dir: Path) -> str | None:
    """The MLflow run this run directory began, when it is resumed (train.py ckpt_path=
    a checkpoint of it) or found dead: the run tagged with its path in the experiment
    (by name alone, a stage's 1-head of one series would be another series')."""
    found = client.get_experiment_by_name(experiment)
    named = found and client.search_runs(
        [found.experiment_id], f"attributes.run_name = '{run_dir.name}'"
    )
    mine = run_dir.resolve()
    for run in named or []:
        if Path(run.data.tags.get("run_dir", "")).resolve() == mine:
            return run.info.run_id
    return None


def end_killed_run(run_dir: Path, section) -> None:
    """The MLflow run of a run found dead, ended KILLED; section: its config's mlflow.
    A sqlite store no longer there is left alone (never made afresh for this)."""
    uri = section.tracking_uri
    if uri.startswith("sqlite:///") and not Path(uri[len("sqlite:///") :]).is_file():
        return
    with one_try():
        client = MlflowClient(uri)
        run_id = earlier_run(client, section.experiment, run_dir)
        if run_id and client.get_run(run_id).info.status == "RUNNING":
            client.set_terminated(run_id, STATUSES["killed"])


@contextmanager
def one_try():
    """MLflow's HTTP calls inside it get ONE_TRY (MLflow has no per-client timeout);
    the run's own MLflow calls after it keep MLflow's retries."""
    before = {name: os.environ.get(name) for name in ONE_TRY}
    os.environ.update(ONE_TRY)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
