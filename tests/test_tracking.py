"""Tracking on both twins (resnet18-digits goldens, generated --with wandb --with mlflow):
each tracker's files read back from disk, as its own tools read them. TensorBoard's
HParams plugin, queried as its tab queries it, lists each run with its config's values
and its final metrics; the wandb offline run holds the config, a history row per epoch
and the test metrics, under TensorBoard's names; MLflow's sqlite store holds the params,
each epoch's metrics and the test's. No network: any connection that is not local goes to
a recording proxy, which must see none. A tracker the project was generated without is
refused in one line before any run directory exists."""

import json
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import zlib
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import run
from tests.test_emitted_trains import BACKENDS, QUIET, SUFFIX, metrics_of

TINY = [
    "trainer.max_epochs=2",
    "trainer.limit_train_batches=3",
    "trainer.limit_val_batches=2",
    "trainer.limit_test_batches=2",
    "trainer.log_every_n_steps=1",
    *QUIET,
]
ALL = "loggers=[tensorboard,csv,wandb,mlflow]"


@contextmanager
def recording_proxy():
    """A TCP server that every non-local connection is sent to (HTTP(S)_PROXY); yields
    the environment that does so and the list of connections it received."""
    server = socket.create_server(("127.0.0.1", 0))
    received = []

    def accept() -> None:
        while True:
            try:
                connection, _ = server.accept()
            except OSError:
                return
            received.append(connection.recv(200))
            connection.close()

    threading.Thread(target=accept, daemon=True).start()
    proxy = f"http://127.0.0.1:{server.getsockname()[1]}"
    names = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")
    env = dict.fromkeys(names, proxy) | {n.lower(): proxy for n in names}
    env |= {"NO_PROXY": "localhost,127.0.0.1", "no_proxy": "localhost,127.0.0.1"}
    try:
        yield env, received
    finally:
        server.close()


def train(project: Path, *args: str, env: dict) -> Path:
    """Run train.py; return its run directory (the newest)."""
    home = project / "home"  # wandb's settings and caches: not the user's
    wandb_dirs = {f"WANDB_{k}_DIR": str(home / k) for k in ("CONFIG", "CACHE", "DATA")}
    done = run(["train.py", *TINY, *args], project, env=env | wandb_dirs)
    assert done.returncode == 0, done.stderr[-3000:]
    return sorted((project / "runs").iterdir())[-1]


def session_groups(logdir: Path) -> dict:
    """TensorBoard's HParams plugin's answer to its tab (/session_groups), by run dir."""
    from tensorboard import context
    from tensorboard.backend.event_processing import data_provider
    from tensorboard.backend.event_processing import plugin_event_multiplexer as pem
    from tensorboard.plugins import base_plugin
    from tensorboard.plugins.hparams import hparams_plugin
    from werkzeug.test import Client
    from werkzeug.wrappers import Response

    events = pem.EventMultiplexer()
    events.AddRunsFromDirectory(str(logdir))
    events.Reload()
    provider = data_provider.MultiplexerDataProvider(events, str(logdir))
    tb = base_plugin.TBContext(
        logdir=str(logdir), multiplexer=events, data_provider=provider
    )
    app = hparams_plugin.HParamsPlugin(tb).get_plugin_apps()["/session_groups"]

    def with_context(environ, start_response):
        context.set_in_environ(environ, context.RequestContext())
        return app(environ, start_response)

    request = {
        "experimentName": "",
        "allowedStatuses": ["STATUS_SUCCESS", "STATUS_FAILURE", "STATUS_UNKNOWN"],
        "colParams": [{"hparam": "optimizer.lr"}, {"metric": {"tag": "test/acc"}}],
        "startIndex": 0,
        "sliceSize": 100,
    }
    answer = Client(with_context, Response).post("/session_groups", json=request)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    groups = {}
    for group in answer.json["sessionGroups"]:
        (session,) = group["sessions"]
        metrics = {m["name"]["tag"]: m["value"] for m in session["metricValues"]}
        groups[group["name"]] = group["hparams"], metrics, session["status"]
    return groups


def wandb_records(start: Path) -> list:
    """The records of a wandb offline run's .wandb file (in `start`, the folder of one
    start of it: LevelDB's log format under wandb's own header; each checksum
    verified), parsed with wandb's own Record proto."""
    from wandb.proto.wandb_internal_pb2 import Record

    (path,) = start.glob("run-*.wandb")
    data, block = path.read_bytes(), 32768
    assert data[:7] == b":W&B\xe1\xbe\x00"  # ident, magic, version
    records, position, pieces = [], 7, b""
    while position + 7 <= len(data):
        if block - position % block < 7:  # a block's tail too short for a header
            position += block - position % block
            continue
        checksum, length, kind = struct.unpack("<IHB", data[position : position + 7])
        piece = data[position + 7 : position + 7 + length]
        assert zlib.crc32(bytes([kind]) + piece) == checksum
        position, pieces = position + 7 + length, pieces + piece
        if kind in (1, 4):  # a whole record, or the last piece of one
            record = Record()
            record.ParseFromString(pieces)
            records.append(record)
            pieces = b""
    return records


def wandb_run(run_dir: Path, start: int = 0) -> tuple[dict, list[dict], int]:
    """The wandb run's config, its history rows and its exit code (of its first start,
    or of a later one: a resumed run's)."""
    config, rows, exit_code = {}, [], None

    def values(items) -> dict:  # a flat name is its key, or a one-part nested key
        return {
            i.key or ".".join(i.nested_key): json.loads(i.value_json) for i in items
        }

    for record in wandb_records(sorted(run_dir.glob("wandb/offline-run-*"))[start]):
        kind = record.WhichOneof("record_type")
        if kind in ("run", "config"):
            updates = (
                record.run.config.update if kind == "run" else record.config.update
            )
            config |= values(updates)
        elif kind == "history":
            rows.append(values(record.history.item))
        elif kind == "exit":
            exit_code = record.exit.exit_code
    return config, rows, exit_code


def mlflow_run(project: Path, run_dir: Path):
    """The MLflow run of a run directory, and its client (the project's sqlite store)."""
    from mlflow import MlflowClient

    client = MlflowClient(f"sqlite:///{project / 'mlflow.db'}")
    experiment = client.get_experiment_by_name("resnet18_digits")
    (found,) = client.search_runs(
        [experiment.experiment_id], f"attributes.run_name = '{run_dir.name}'"
    )
    return client, found


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_tracker_holds_the_run_as_its_own_tools_read_it(golden_copy, backend):
    project = golden_copy(f"{backend}-resnet18-digits")
    with recording_proxy() as (env, received):
        # no schedule: the run may be resumed for more epochs (below)
        run_dir = train(project, ALL, "optimizer.lr=0.02", "scheduler=none", env=env)
        if backend == "lightning":  # a second run for the HParams tab to compare
            lr, one_epoch = "optimizer.lr=0.01", "trainer.max_epochs=1"
            other = train(project, "loggers=[tensorboard]", lr, one_epoch, env=env)
    assert received == []  # nothing left the machine
    final = metrics_of(run_dir)

    groups = session_groups(project / "runs")
    hparams, metrics, status = groups[run_dir.name]
    assert hparams["optimizer.lr"] == 0.02 and hparams["model.name"] == "resnet18"
    assert hparams["loggers"] == '["tensorboard", "csv", "wandb", "mlflow"]'
    assert status == "STATUS_SUCCESS"
    for name in ("test/acc", "test/loss", "val/acc", "train/loss"):
        assert metrics[name] == pytest.approx(final[name], rel=1e-6), name
    if backend == "lightning":
        hparams, metrics, _ = groups[other.name]
        assert hparams["optimizer.lr"] == 0.01
        assert metrics["test/acc"] == pytest.approx(metrics_of(other)["test/acc"])

    config, rows, exit_code = wandb_run(run_dir)
    assert exit_code == 0
    assert config["optimizer.lr"] == 0.02 and config["seed"] == hparams["seed"]
    epochs = [row for row in rows if "val/acc" in row]
    assert [row["epoch"] for row in epochs] == [0, 1]
    assert epochs[-1]["val/acc"] == pytest.approx(final["val/acc"])
    (tested,) = [row for row in rows if "test/acc" in row]
    assert tested["test/acc"] == pytest.approx(final["test/acc"])
    assert all("trainer/global_step" in row for row in rows)

    client, tracked = mlflow_run(project, run_dir)
    assert tracked.info.status == "FINISHED"
    assert tracked.data.params["optimizer.lr"] == "0.02"
    assert tracked.data.params["model.name"] == "resnet18"
    history = client.get_metric_history(tracked.info.run_id, "val/acc")
    assert [m.value for m in history][-1] == pytest.approx(final["val/acc"])
    assert len(history) == 2  # one per epoch
    for name in ("test/acc", "test/loss"):
        assert tracked.data.metrics[name] == pytest.approx(final[name]), name

    # resumed for a third epoch: the same wandb run (id) and MLflow run (run_id) go on
    last = run_dir / "checkpoints" / f"last{SUFFIX[backend]}"
    with recording_proxy() as (env, received):
        train(project, "trainer.max_epochs=3", f"ckpt_path={last}", env=env)
    assert received == []
    starts = sorted(run_dir.glob("wandb/offline-run-*"))
    assert len(starts) == 2 and len({s.name.rsplit("-", 1)[1] for s in starts}) == 1
    _, rows, exit_code = wandb_run(run_dir, start=1)
    assert exit_code == 0 and [r["epoch"] for r in rows if "val/acc" in r] == [2]
    again, resumed = mlflow_run(project, run_dir)  # still one run of that name
    assert resumed.info.run_id == tracked.info.run_id
    assert resumed.info.status == "FINISHED"
    history = again.get_metric_history(resumed.info.run_id, "val/acc")
    assert len(history) == 3
    assert history[-1].value == pytest.approx(metrics_of(run_dir)["val/acc"])
    assert session_groups(project / "runs")[run_dir.name][2] == "STATUS_SUCCESS"


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("tracker", ["wandb", "mlflow"])
def test_a_tracker_not_generated_is_refused_in_one_line(golden_copy, backend, tracker):
    project = golden_copy(f"{backend}-lenet-digits")
    refused = run(["train.py", f"loggers=[tensorboard,{tracker}]"], project)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    (line,) = refused.stderr.strip().splitlines()
    assert line.startswith(f"error: loggers: {tracker} is not in this project")
    assert f"--with {tracker}" in line and f"tracking/{tracker}_logger.py" in line
    assert not (project / "runs").exists()


@pytest.mark.parametrize(
    "status, shown",
    [
        ("finished", "STATUS_SUCCESS"),
        ("failed: TrialPruned: trial 3 pruned at epoch 2", "STATUS_UNKNOWN"),
        ("interrupted", "STATUS_UNKNOWN"),
        ("failed: RuntimeError: boom", "STATUS_FAILURE"),
    ],
)
def test_a_pruned_trial_is_not_a_failed_row(golden_package, tmp_path, status, shown):
    hparams = golden_package("lightning-resnet18-digits", "tracking.hparams")
    board = tmp_path / "runs" / "trial-3" / "tensorboard"
    board.mkdir(parents=True)
    hparams.HParamsSession(board, {"optimizer": {"lr": 0.1}}).finish(status)
    assert session_groups(tmp_path / "runs")["trial-3"][2] == shown


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_killed_runs_trackers_end_it_when_found_dead(golden_copy, backend):
    """SIGKILL mid-training: the run cannot end its HParams row (the tab shows it as it
    died, no status) nor its MLflow run (RUNNING for ever); the next run's start
    (records/record.py mark_killed_runs, here called alone, in the project as train.py
    runs) marks the record killed, ends the row as failed, the MLflow run KILLED.
    """
    project = golden_copy(f"{backend}-resnet18-digits")
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    args = ["train.py", "model=lenet", "trainer.max_epochs=100", *QUIET]
    args += ["loggers=[tensorboard,mlflow]"]  # after QUIET's: the last one counts
    worker = subprocess.Popen([sys.executable, *args], cwd=project, env=env)
    deadline = time.monotonic() + 120
    while not mlflow_started(project):  # its HParams row begun too by then
        assert time.monotonic() < deadline and worker.poll() is None
        time.sleep(0.1)
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    (run_dir,) = (project / "runs").iterdir()
    assert session_groups(project / "runs")[run_dir.name][2] == "STATUS_UNKNOWN"
    assert mlflow_run(project, run_dir)[1].info.status == "RUNNING"
    found_dead = (
        "from resnet18_digits.records import record; record.mark_killed_runs('runs')"
    )
    subprocess.run([sys.executable, "-c", found_dead], cwd=project, env=env, check=True)
    assert json.loads((run_dir / "record.json").read_text())["status"] == "killed"
    assert session_groups(project / "runs")[run_dir.name][2] == "STATUS_FAILURE"
    assert mlflow_run(project, run_dir)[1].info.status == "KILLED"


def mlflow_started(project: Path) -> bool:
    """A run's record, its HParams row and its MLflow run have all begun."""
    if not list(project.glob("runs/*/tensorboard/*.hparams")):
        return False
    (run_dir,) = (project / "runs").iterdir()
    if not (run_dir / "record.json").exists():
        return False
    try:
        mlflow_run(project, run_dir)
    except Exception:  # no database, experiment or run yet
        return False
    return True


def dead_run(runs: Path, config: str) -> Path:
    """A run directory as a SIGKILLed run leaves it: record `running`, its process gone."""
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # its pid: a process that has ended
    run_dir = runs / "2026-11-28_10-00-00_lenet_digits"
    run_dir.mkdir(parents=True)
    owner = {"pid": gone.pid, "host": socket.gethostname()}
    (run_dir / "record.json").write_text(
        json.dumps({"status": "running", "owner": owner})
    )
    (run_dir / "config.yaml").write_text(config)
    return run_dir


@pytest.mark.parametrize(
    "config, warned",
    [  # a server that does not answer; a store moved away; half a config
        (
            "loggers: [csv, mlflow]\nmlflow: {tracking_uri: 'http://127.0.0.1:9', experiment: x}\n",
            True,
        ),
        (
            "loggers: [csv, mlflow]\nmlflow: {tracking_uri: 'sqlite:///moved.db', experiment: x}\n",
            False,
        ),
        ("loggers: [tensorboard, mlflow\n", True),
        ("loggers: [csv, mlflow]\n", True),
    ],
)
def test_a_dead_runs_tracker_that_cannot_be_ended_never_stops_the_next_run(
    rendered, tmp_path, config, warned
):
    """Ending a dead run's MLflow run is best effort: at most one warning line, in
    seconds (one try), no store made afresh; the record still says killed."""
    project = rendered("lightning-resnet18-digits")
    run_dir = dead_run(tmp_path / "runs", config)
    found_dead = "from resnet18_digits.records import record; import sys;"
    found_dead += " record.mark_killed_runs(sys.argv[1])"
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", found_dead, str(tmp_path / "runs")],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(project), "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started < 60  # MLflow's own retries take minutes
    assert json.loads((run_dir / "record.json").read_text())["status"] == "killed"
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    if warned:
        (line,) = lines
        assert line.startswith(f"warning: {run_dir} was killed; its MLflow run could")
    else:
        assert not lines and not (tmp_path / "moved.db").exists()


def test_an_mlflow_run_is_found_by_its_directory_not_its_name_alone(
    golden_package, tmp_path
):
    """Two series' stages are both named 1-head: each run directory finds its own."""
    from mlflow import MlflowClient

    runs = golden_package("lightning-resnet18-digits", "tracking.mlflow_runs")
    client = MlflowClient(f"sqlite:///{tmp_path / 'mlflow.db'}")
    experiment = client.create_experiment("x")
    stages = [tmp_path / "runs" / series / "1-head" for series in ("a", "b")]
    made = [
        client.create_run(experiment, run_name="1-head", tags={"run_dir": str(stage)})
        for stage in stages
    ]
    for stage, began in zip(stages, made, strict=True):
        assert runs.earlier_run(client, "x", stage) == began.info.run_id
    assert runs.earlier_run(client, "x", tmp_path / "runs" / "c" / "1-head") is None


def test_a_resumed_run_keeps_its_trackers_sections(golden_package):
    """A resume goes on in the tracker runs it began: their sections stay (refused by
    name); where and how it runs may change, a mix's sources' paths included."""
    from omegaconf import OmegaConf

    compose = golden_package("lightning-resnet18-digits", "config.compose").compose
    resume = golden_package("lightning-resnet18-digits", "config.resume")
    user_error = golden_package("lightning-resnet18-digits", "errors").UserError

    def saved(*args: str) -> dict:
        return OmegaConf.to_container(compose(list(args)), resolve=True)

    for key in ("mlflow.experiment=y", "wandb.project=y"):
        with pytest.raises(user_error, match=f"{key}: a resumed run keeps"):
            resume.check_resume(compose([key]), saved())
    moved = ["report=false", "data.num_workers=0", "loggers=[csv]", "data.root=/x"]
    resume.check_resume(compose(moved), saved())
    resume.check_resume(compose(["data=mix", *moved]), saved("data=mix"))
    with pytest.raises(user_error, match=r"data.sources.0.weight=0.9: a resumed run"):
        resume.check_resume(
            compose(["data=mix", "data.sources=[{name: digits, weight: 0.9}]"]),
            saved("data=mix"),
        )
