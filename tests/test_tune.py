"""tune.py (`--with hpo`) on the resnet18-digits goldens of both twins, each trial a tiny
LeNet run: a search end to end with a trial that fails (its loss goes to nan), one
pruned and one complete, repeated with the same seed (in an sqlite study) to the same
trials and best; two workers on one journal file, one killed mid-trial (its trial
FAILED, its run `killed`), the other finishing, a restart completing exactly n_trials;
mistakes in the search refused in one line before any trial runs; the presets of
every task."""

import importlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from onefit.render import render

from tests.goldens import GOLDEN_SOURCE, answers_of
from tests.messages import TRAIN, TUNE, documented
from tests.test_report import shown_in_chromium

BACKENDS = ["lightning", "paddle"]
TINY = (  # every trial: LeNet, 2 short epochs, no progress bar, the CSV log only
    "[model=lenet, optimizer=adamw, trainer.max_epochs=2, trainer.limit_train_batches=10,"
    " trainer.limit_val_batches=3, trainer.limit_test_batches=1, 'loggers=[csv]',"
    " trainer.enable_progress_bar=false]"
)
# Random draws, trial n with seed 10 + n: 0.01 (learns), 1e30 (its loss is nan at once:
# FAILED), 1e-6 (learns nothing: pruned after its first epoch, below trial 0's).
SEARCH = f"""
study: null
metric: val/acc
direction: maximize
n_trials: 3
timeout_s: null
storage: null
heartbeat_s: 30
train: {TINY}
sampler: {{name: random, seed: 10, startup_trials: 0}}
pruner: {{name: median, startup_trials: 1, warmup_epochs: 0}}
space:
  optimizer.lr: {{type: categorical, choices: [0.01, 1.0e-6, 1.0e+30]}}
"""


def project_with(golden_copy, backend: str, search: str) -> Path:
    project = golden_copy(f"{backend}-resnet18-digits")
    (project / "configs" / "hpo" / "test.yaml").write_text(search)
    return project


def package(project: Path):
    """The project's package imported from `project` (the other twin's forgotten)."""
    sys.dont_write_bytecode = True
    name = next(project.glob("*/tuning/settings.py")).parent.parent.name
    for key in [k for k in sys.modules if k.split(".")[0] == name]:
        del sys.modules[key]
    sys.path.insert(0, str(project))
    try:
        return importlib.import_module(f"{name}.tuning.settings")
    finally:
        sys.path.remove(str(project))


def tune_in_process(project: Path, *args: str, preset: str = "test") -> Path:
    """Run a search in this process; return its folder."""
    settings = package(project)
    search = settings.read_search([f"hpo={preset}", *args], "usage")
    name = settings.__name__.split(".")[0]
    importlib.import_module(f"{name}.tuning.search").run_search(search)
    return search.folder


# Trials without a report.html each (15 % of their time; test_report's), a progress bar
# or TensorBoard: the search is the same, its trials lighter.
QUIET = ["report=false", "trainer.enable_progress_bar=false", "loggers=[csv]"]


def test_the_quick_preset_prunes_and_gives_the_same_best_twice(tmp_path):
    """configs/hpo/quick.yaml as it is emitted (8 trials of 3 epochs, TPE seeded, median
    pruning) on a LeNet-digits project: seconds a trial. Run twice from fresh studies,
    the first in a journal file, the second in an sqlite database: the same trials,
    values and best parameters, and at least one trial pruned."""
    project = tmp_path / "lenet-digits"
    answers = answers_of("lightning-lenet-digits")
    render({**answers, "features": ["hpo"]}, project, GOLDEN_SOURCE, False)
    folders = [
        tune_in_process(
            project, f"output_dir={tmp_path / 'a'}", *QUIET, preset="quick"
        ),
        tune_in_process(
            project,
            f"output_dir={tmp_path / 'b'}",
            *QUIET,
            f"hpo.storage=sqlite:///{tmp_path / 'hpo.db'}",
            preset="quick",
        ),
    ]
    summaries = [json.loads((f / "summary.json").read_text()) for f in folders]
    first, again = (
        [(t["state"], t["value"], t["params"]) for t in s["trials"]] for s in summaries
    )
    assert len(first) == 8 and first == again
    assert summaries[0]["states"]["pruned"] >= 1 and summaries[0]["best"]["value"] > 0.9
    assert summaries[1]["best"]["params"] == summaries[0]["best"]["params"]
    assert set(summaries[0]["best"]["params"]) == {
        "optimizer.lr",
        "optimizer.weight_decay",
        "data.batch_size",
    }
    assert not (folders[1] / "study.journal").exists()  # the second: in the database


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_search_goes_on_past_a_failed_trial_prunes_and_repeats_by_seed(
    golden_copy, backend, tmp_path
):
    project = project_with(golden_copy, backend, SEARCH)
    auto = "data.batch_size=auto"  # each trial picks its batch (on a CPU: 32, and why)
    folders = [tune_in_process(project, f"output_dir={tmp_path / 'runs1'}", auto)]
    if backend == "paddle":  # Lightning's repeat: the quick preset's test, above
        folders.append(  # in a database: Optuna's RDB storage, its own heartbeat
            tune_in_process(
                project,
                f"output_dir={tmp_path / 'runs2'}",
                f"hpo.storage=sqlite:///{tmp_path / 'hpo.db'}",
                auto,
            )
        )
    summaries = [json.loads((f / "summary.json").read_text()) for f in folders]
    trials = summaries[0]["trials"]
    assert [(t["state"], t["params"]["optimizer.lr"]) for t in trials] == [
        ("complete", 0.01),
        ("fail", 1e30),
        ("pruned", 1e-6),
    ]
    assert "train/loss became" in trials[1]["note"]  # the search went on after it
    assert trials[2]["note"].startswith("pruned after epoch 1")
    assert summaries[0]["best"]["number"] == 0 and summaries[0]["best"]["value"] > 0.3
    # each trial a run of its own, its record saying which trial and how it ended
    statuses = []
    for trial in trials:
        run_dir = Path(trial["run_dir"])
        assert run_dir.parent == folders[0]
        record = json.loads((run_dir / "record.json").read_text())
        assert record["trial"] == {
            "study": "test",
            "number": trial["number"],
            "params": trial["params"],
        }
        statuses.append(record["status"].split(":")[0])
        assert record["scaling"]["batch_size"] == 32
        assert record["scaling"]["batch_size_chosen"].startswith("32 on CPU: memory")
    assert statuses == ["finished", "failed", "pruned"]
    pruned_epochs = (Path(trials[2]["run_dir"]) / "metrics.csv").read_text()
    assert "\n1," not in pruned_epochs  # the pruned trial stopped after epoch 1 of 2
    summary = (folders[0] / "summary.md").read_text()
    assert "Best: trial 0, val/acc" in summary and "| 2 | pruned |" in summary
    assert summaries[0]["plots"] == ["history", "parallel"]  # importances: 2 complete
    for plot in ("history", "parallel"):
        png = (folders[0] / "plots" / f"{plot}.png").read_bytes()
        assert png.startswith(b"\x89PNG") and len(png) > 5000, plot
    # the search's report: every trial a row, the plots inlined, shown by a browser
    page = (folders[0] / "report.html").read_text()
    assert page.count("data:image/png;base64,") == 2 and "metric: val/acc" in page
    assert all(f"<td>{state}</td>" in page for state in ("complete", "fail", "pruned"))
    shown_in_chromium(folders[0] / "report.html")
    if backend == "lightning":
        return
    # the same seed: the same trials, values and best, from a fresh study
    assert not (folders[1] / "study.journal").exists()
    strip = [{k: t[k] for k in ("state", "value", "params")} for t in trials]
    again = [
        {k: t[k] for k in ("state", "value", "params")} for t in summaries[1]["trials"]
    ]
    assert again == strip
    assert summaries[1]["best"]["params"] == summaries[0]["best"]["params"]


def tune(project: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.Popen(
        [sys.executable, "tune.py", "hpo=test", *args],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def trials_of(folder: Path, pid: int) -> dict[int, str]:
    """{trial number: status} of the runs process `pid` trained, by their records."""
    found = {}
    for path in folder.glob("*/record.json"):
        try:
            record = json.loads(path.read_text())
        except ValueError:  # being replaced
            continue
        if record.get("owner", {}).get("pid") == pid and "trial" in record:
            found[record["trial"]["number"]] = record["status"]
    return found


@pytest.mark.parametrize(  # each storage on one twin: the heartbeats are shared code
    "backend, storage", [("lightning", "journal"), ("paddle", "sqlite")]
)
def test_two_workers_share_a_study_one_killed_and_a_restart_resumes(
    golden_copy, backend, storage
):
    """The journal's heartbeat is ours (tuning/storage.py), the database's Optuna's
    own (RDBStorage): with either, a SIGKILLed worker's trial becomes FAILED after three
    missed heartbeats, the other worker finishes and a restart completes n_trials."""
    search = SEARCH.replace("n_trials: 3", "n_trials: 4").replace("seed: 10", "seed: 0")
    search = search.replace("heartbeat_s: 30", "heartbeat_s: 2")
    search = search.replace("1.0e-6, 1.0e+30", "0.003, 0.001")  # none fails
    search = search.replace("name: median", "name: none").replace(
        "epochs=2", "epochs=1"
    )
    project = project_with(golden_copy, backend, search)
    folder = project / "runs" / "hpo-test"
    url = f"sqlite:///{project / 'hpo.db'}"
    shared = [f"hpo.storage={url}"] if storage == "sqlite" else []
    first, second = tune(project, *shared), tune(project, *shared)
    deadline = time.monotonic() + 120
    while True:  # kill the second while it trains a trial
        assert (
            time.monotonic() < deadline and second.poll() is None
        ), second.stdout.read()
        done = trials_of(folder, second.pid)
        running = [n for n, status in done.items() if status == "running"]
        if running:
            break
        time.sleep(0.05)
    second.send_signal(signal.SIGKILL)
    number = running[0]
    killed_at = time.monotonic()
    out, _ = first.communicate(timeout=240)
    assert first.returncode == 0, out
    time.sleep(max(0.0, 6.5 - (time.monotonic() - killed_at)))  # 3 heartbeats missed
    tune_in_process(project, f"output_dir={project / 'runs'}", *shared)  # the restart

    import optuna
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend

    if storage == "journal":
        study = JournalStorage(JournalFileBackend(str(folder / "study.journal")))
    else:
        assert not (folder / "study.journal").exists()
        study = url
    trials = optuna.load_study(study_name="test", storage=study).trials
    states = [t.state.name for t in trials]
    assert states.count("COMPLETE") == 4 and states.count("FAIL") == 1, states
    killed = next(t for t in trials if t.state.name == "FAIL")
    assert killed.number == number
    assert killed.user_attrs["worker"].endswith(f":{second.pid}")
    workers = {t.user_attrs["worker"] for t in trials if t.state.name == "COMPLETE"}
    pids = {worker.rsplit(":", 1)[1] for worker in workers}
    assert str(first.pid) in pids
    assert pids <= {str(first.pid), str(second.pid), str(os.getpid())}
    # no duplicates, none lost: a run directory per trial, each naming its own trial
    records = [json.loads(p.read_text()) for p in folder.glob("*/record.json")]
    given_way = [  # a trial two workers began at once, beyond n_trials: never run
        t.number
        for t in trials
        if t.user_attrs.get("stopped", "").startswith("not run")
    ]
    run_trials = [t.number for t in trials if t.number not in given_way]
    assert sorted(r["trial"]["number"] for r in records) == run_trials
    status = {r["trial"]["number"]: r["status"] for r in records}
    assert status.pop(number) == "killed"
    assert set(status.values()) == {"finished"}
    (folder / "summary.json").unlink()  # --summary writes it again, from the study
    tune_in_process(project, f"output_dir={project / 'runs'}", *shared, "--summary")
    summary = json.loads((folder / "summary.json").read_text())
    assert summary["states"]["complete"] == 4 and summary["states"]["fail"] == 1
    assert summary["plots"] == ["history", "importances", "parallel"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["hpo=tpe"], "no hpo option 'tpe'. Options: cifar10, quick"),
        (["hpo.n_trials=0"], "hpo.n_trials=0 is not allowed: must be at least 1"),
        (["hpo.pruner.name=asha"], "bad value for 'hpo.pruner.name'"),
        (["hpo.metric=val/accuracy"], "hpo.metric=val/accuracy is not allowed"),
        (  # a trial is judged as validation ends, before train/loss is known
            ["hpo.metric=train/loss", "hpo.direction=minimize"],
            "hpo.metric=train/loss is not allowed: must be one of val/acc, val/loss,"
            " val/acc_top5",
        ),
        (
            ["hpo.metric=val/loss"],  # quick.yaml maximizes
            "hpo.direction=maximize with val/loss: val/loss is better lower;"
            " set hpo.direction=minimize",
        ),
        (
            ["hpo.direction=minimize"],
            "hpo.direction=minimize with val/acc: val/acc is better higher;"
            " set hpo.direction=maximize",
        ),
        (["hpo.study=a/b"], "hpo.study=a/b: use letters, digits"),
        (
            ["hpo.space.optimizer.lr.low=1"],
            "hpo.space.optimizer.lr.low=1: the space is",
        ),
        (["trainer.devices=2"], "trainer.devices=2: tune.py trains each trial"),
        (["ckpt_path=runs/x/last.ckpt"], "ckpt_path=runs/x/last.ckpt: tune.py trains"),
        (["debug=ipdb"], "debug=ipdb: tune.py trains every trial afresh"),
        (["debug.break_at=val_batch"], "debug.break_at=val_batch: tune.py trains"),
        (["experiment=finetune"], "experiment=finetune has stages: tune.py trains"),
        (["trainer.max_epoch=3"], "unknown key 'trainer.max_epoch'"),  # train.py's
    ],
)
def test_search_settings_are_refused_in_one_line(rendered, args, message):
    settings = package(rendered("lightning-resnet18-digits"))
    with pytest.raises(settings.UserError) as refused:
        settings.read_search(args, "usage")
    assert str(refused.value).startswith(message), refused.value
    assert documented(str(refused.value), TUNE) or documented(str(refused.value), TRAIN)


def test_a_study_refuses_a_worker_that_trains_its_trials_otherwise(
    golden_copy, monkeypatch
):
    """A study keeps what its trials train with (the composed config but the space's
    keys): a resume or another worker with another value is refused, naming each key
    with the value the study began with; where and how a worker runs may differ. No
    trial runs: the study is opened as tune.py opens it."""
    project = project_with(golden_copy, "lightning", SEARCH)
    monkeypatch.chdir(project)  # the study: runs/hpo-test/study.journal, in it
    settings = package(project)
    studies = importlib.import_module("resnet18_digits.tuning.study")

    def opened(*args: str, create: bool = True):
        search = settings.read_search(["hpo=test", *args], "usage")
        return studies.open_study(search, create=create)

    study = opened()  # begun: TINY's values, optimizer.lr drawn
    assert study.user_attrs["search"]["trains"]["trainer.max_epochs"] == 2
    assert "optimizer.lr" not in study.user_attrs["search"]["trains"]
    elsewhere = ["data.num_workers=0", "trainer.accelerator=cpu", "data.root=/mnt/x"]
    opened(*elsewhere, "loggers=[tensorboard]", "report=false", "speed.tf32=false")
    refusals = {
        "trainer.max_epochs=5": "trainer.max_epochs=2 (now 5)",
        "optimizer=sgd": "optimizer.name=adamw (now sgd)",
        "data.val_fraction=0.2": "data.val_fraction=0.1 (now 0.2)",
        "seed=7": "seed=42 (now 7)",
    }
    for arg, named in refusals.items():
        with pytest.raises(settings.UserError) as refused:
            opened(arg)
        message = str(refused.value)
        assert named in message and message.endswith("hpo.study=test-2"), message
        assert documented(message, TUNE)
        assert "optimizer.betas" not in message  # optimizer=sgd: said by its name
    loss = ["hpo.metric=val/loss", "hpo.direction=minimize"]
    with pytest.raises(settings.UserError) as refused:
        opened(*loss)
    assert "with hpo.direction=maximize (now minimize), hpo.metric=val/acc (now" in str(
        refused.value
    )
    opened("trainer.max_epochs=5", create=False)  # --summary reads whatever was asked
    # a mix's sources carry data.root and the loader workers too: still where and how
    mix = settings.read_search(["hpo=test", "data=mix"], "usage").trains
    elsewhere = settings.read_search(["hpo=test", "data=mix", *elsewhere], "usage")
    assert studies.changed(mix, elsewhere.trains) == []
    # a study begun before its trials' config was kept takes the next worker's that
    # passes its checks (a refused one's values are not kept)
    begun = study.user_attrs["search"]
    study.set_user_attr("search", {k: v for k, v in begun.items() if k != "trains"})
    with pytest.raises(settings.UserError):
        opened(*loss, "trainer.max_epochs=7")
    opened("trainer.max_epochs=5")
    with pytest.raises(settings.UserError, match=r"trainer.max_epochs=5 \(now 2\)"):
        opened()


def test_help_lists_the_flags_tune_py_takes(rendered, capsys):
    """--summary is tune.py's own; --config is train.py's, which tune.py refuses."""
    settings = package(rendered("lightning-resnet18-digits"))
    with pytest.raises(SystemExit) as answered:
        settings.read_search(["--help"], "usage")
    shown = capsys.readouterr().out
    assert answered.value.code == 0
    assert "--summary" in shown and "--print-config" in shown
    assert "--config" not in shown.replace("--print-config", "")


SPACES = {  # a space entry: the start of the one line that refuses it, before any trial
    "optimizer.lrr: {type: float, low: 0.1, high: 1}": "hpo.space.optimizer.lrr: 'optimizer.lrr' is no key of the config. Did you mean optimizer.lr or optimizer?",
    "optimizer: {type: float, low: 0.1, high: 1}": "hpo.space.optimizer: give {type: ..., ...}, type categorical",
    "optimizer.lr: {type: float, low: 0.1, high: 0.01}": "hpo.space.optimizer.lr: low=0.1 must be below high=0.01",
    "optimizer.lr: {type: float, low: 0, high: 1, log: true}": "hpo.space.optimizer.lr: a log range needs low above 0",
    "optimizer.lr: {type: floats, low: 0, high: 1}": "hpo.space.optimizer.lr: give {type: ..., ...}, type float, int",
    "optimizer.lr: {type: float, low: 0, hi: 1}": "hpo.space.optimizer.lr: a float range takes high, log, low, step, not hi",
    "data.batch_size: {type: int, low: 0.5, high: 4}": "hpo.space.data.batch_size: low and high must be int numbers",
    "data.batch_size: {type: int, low: 0, high: 4}": "hpo.space.data.batch_size: 0 is refused: data.batch_size=0",
    "data.batch_size: {type: categorical, choices: [32]}": "hpo.space.data.batch_size: choices must list 2 values",
    "model: {type: categorical, choices: [lenet, resnet19]}": "hpo.space.model: 'resnet19' is refused: no model option 'resnet19'",
    "trainer.max_epochs: {type: float, low: 1, high: 2}": "hpo.space.trainer.max_epochs: 1.5 is refused",
}


@pytest.mark.parametrize("entry", SPACES)
def test_a_bad_space_is_refused_before_any_trial(golden_copy, entry):
    search = SEARCH.split("space:")[0] + f"space:\n  {entry}\n"
    project = project_with(golden_copy, "lightning", search)
    settings = package(project)
    with pytest.raises(settings.UserError) as refused:
        settings.read_search(["hpo=test"], "usage")
    assert str(refused.value).startswith(SPACES[entry]), refused.value
    assert documented(str(refused.value), TUNE)
    assert not (project / "runs").exists()


PRESETS = {  # a spec of each task: the presets its project gets
    "lightning-resnet18-digits": ["cifar10", "quick"],
    "paddle-unet-digit-canvas": ["coco", "quick", "voc"],
    "lightning-yolov5n-digit-canvas": ["coco", "quick", "voc"],
}


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_is_a_search_the_project_takes(name, tmp_path, rendered):
    """quick.yaml and the realistic presets of each task compose with every value of
    their spaces (each end of each range, every choice), their metric the task's."""
    project = tmp_path / name
    if "hpo" in answers_of(name)["features"]:
        project = rendered(name)
    else:
        render({**answers_of(name), "features": ["hpo"]}, project, GOLDEN_SOURCE, False)
    settings = package(project)
    presets = sorted(p.stem for p in (project / "configs" / "hpo").glob("*.yaml"))
    assert presets == PRESETS[name]
    metric = {"resnet18": "val/acc", "unet": "val/miou"}.get(
        name.split("-")[1], "val/map"
    )
    for preset in presets:
        search = settings.read_search([f"hpo={preset}"], "usage")
        assert search.folder == Path("runs") / f"hpo-{preset}"
        assert search.hpo.metric == metric


def test_the_realistic_presets_hyperband_stops_weak_trials_early(rendered):
    """cifar10.yaml's pruner as tune.py builds it, told epochs the way the Pruning
    callback tells them (the metric after each of trainer.max_epochs=30): after one
    complete trial, weak trials stop at one of Hyperband's rungs, long before their
    30th epoch, while strong ones run to the end."""
    import optuna

    search = package(rendered("lightning-resnet18-digits")).read_search(
        ["hpo=cifar10"], "usage"
    )
    storage = importlib.import_module("resnet18_digits.tuning.storage")
    assert search.hpo.pruner.name == "hyperband"
    pruner = storage.pruner(search.hpo.pruner)
    assert isinstance(pruner, optuna.pruners.HyperbandPruner)
    epochs = search.trains["trainer.max_epochs"]
    assert epochs == 30

    def trial_reaching(top: float):
        def objective(trial: optuna.Trial) -> float:
            for epoch in range(epochs):
                trial.report(top * (1 - 0.8 ** (epoch + 1)), epoch)
                if trial.should_prune():
                    raise optuna.TrialPruned()
            return top

        return objective

    study = optuna.create_study(  # the name places trials in brackets: fixed
        study_name="cifar10", direction=search.hpo.direction, pruner=pruner
    )
    study.optimize(trial_reaching(0.9), n_trials=1)
    for number in range(1, 17):
        study.optimize(trial_reaching(0.2 if number % 2 else 0.95), n_trials=1)
    weak = [t for t in study.trials if t.number % 2]
    strong = [t for t in study.trials if not t.number % 2]
    stopped = [t for t in weak if t.state.name == "PRUNED"]
    assert len(stopped) >= 4, [(t.state.name, t.last_step) for t in weak]
    assert all(t.last_step < epochs - 1 for t in stopped)
    assert all(t.state.name == "COMPLETE" for t in strong)


def test_ctrl_c_stops_the_search_cleanly_and_the_same_command_resumes(golden_copy):
    """SIGINT (Ctrl-C) mid-trial: exit 130, that trial FAILED in the study and
    `interrupted` in its record, the summary written, the command to resume said; the
    same command then completes n_trials."""
    search = SEARCH.replace("1.0e-6, 1.0e+30", "0.003, 0.001").replace(
        "name: median", "name: none"
    )
    project = project_with(golden_copy, "lightning", search)
    folder = project / "runs" / "hpo-test"
    worker = tune(project)
    deadline = time.monotonic() + 120
    while not any(s == "running" for s in trials_of(folder, worker.pid).values()):
        assert time.monotonic() < deadline and worker.poll() is None
        time.sleep(0.05)
    worker.send_signal(signal.SIGINT)
    out, _ = worker.communicate(timeout=120)
    assert worker.returncode == 130, out
    assert "The same command resumes it: python tune.py hpo=test" in out
    summary = json.loads((folder / "summary.json").read_text())
    (stopped,) = [t for t in summary["trials"] if t["state"] == "fail"]
    record = json.loads((Path(stopped["run_dir"]) / "record.json").read_text())
    assert record["status"] == "interrupted"
    again = tune(project)
    out, _ = again.communicate(timeout=240)
    assert again.returncode == 0, out
    summary = json.loads((folder / "summary.json").read_text())
    assert summary["states"]["complete"] == 3 and summary["states"]["fail"] == 1


def test_a_trial_begun_beyond_n_trials_gives_way_unrun(golden_copy):
    """Two workers that both saw n_trials - 1 begin a trial each: the later-numbered
    finds the study full (an earlier trial still running counts) and is never run."""
    import optuna

    search_yaml = SEARCH.replace("n_trials: 3", "n_trials: 1")
    project = project_with(golden_copy, "lightning", search_yaml)
    search = package(project).read_search(["hpo=test"], "usage")
    searching = importlib.import_module("resnet18_digits.tuning.search")
    study = optuna.create_study(direction="maximize")
    study.ask()  # the other worker's trial 0, running
    study.optimize(lambda t: searching.objective(t, search, []), n_trials=1)
    surplus = study.trials[1]
    assert surplus.state.name == "PRUNED"
    assert surplus.user_attrs["stopped"].startswith("not run: the study held")
    assert not (project / "runs").exists()
    assert importlib.import_module("resnet18_digits.tuning.budget").counted(study) == 1
