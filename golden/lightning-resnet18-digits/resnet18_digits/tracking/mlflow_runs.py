"""The project's MLflow runs by run directory, for both twins: the one a run directory
began (a resumed run goes on in it), and the end of one whose run was killed outright
(SIGKILL, a lost machine): KILLED, written by whoever finds it dead (records/record.py),
where it would say RUNNING for ever."""

from pathlib import Path

from mlflow import MlflowClient
from omegaconf import OmegaConf

# The record's status as MLflow's: stopped from outside (Ctrl-C, SIGTERM, SIGKILL):
# KILLED; failed: FAILED.
STATUSES = {"finished": "FINISHED", "interrupted": "KILLED", "killed": "KILLED"}


def earlier_run(client: MlflowClient, experiment: str, run_dir: Path) -> str | None:
    """The MLflow run this run directory began, when it is resumed (train.py ckpt_path=
    a checkpoint of it) or found dead: the run named after it in the experiment."""
    found = client.get_experiment_by_name(experiment)
    runs = found and client.search_runs(
        [found.experiment_id], f"attributes.run_name = '{run_dir.name}'", max_results=1
    )
    return runs[0].info.run_id if runs else None


def end_killed_run(run_dir: Path) -> None:
    """The MLflow run of a run found dead, ended KILLED (its config names the store)."""
    section = OmegaConf.load(run_dir / "config.yaml").mlflow
    client = MlflowClient(section.tracking_uri)
    run_id = earlier_run(client, section.experiment, run_dir)
    if run_id and client.get_run(run_id).info.status == "RUNNING":
        client.set_terminated(run_id, STATUSES["killed"])
