"""Shared fixtures: golden copies to run in, format-exact data, a local HTTP mirror."""

import importlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from _pytest.nodeid import coerce_node_id  # pinned pytest: below

from tests.formats import cifar_archive, mnist_files
from tests.goldens import Rendered
from tests.http_server import serve

# The modules whose tests take seconds (most train in subprocesses), slowest first; a
# module's own tests keep their order. The rest follow as collected: many quick tests, so
# that both workers end at about the same time.
SLOW_MODULES_FIRST = [
    "test_failures.py",
    "test_emitted_trains.py",
    "test_scaling.py",  # DDP on two processes, two torchrun "nodes"
    "test_image_folders.py",
    "test_streaming.py",
    "test_update.py",
    "test_downloads.py",
    "test_data_checks.py",
    "test_efficientnet_paddle.py",
    "test_segmentation.py",
    "test_segmentation_models.py",
    "test_detection.py",
    "test_yolo.py",
    "test_augment.py",
    "test_twins.py",
    "test_tune.py",  # searches, two workers, a kill and a restart
    "test_runs.py",  # three runs per twin, shared with test_report.py
    "test_report.py",
    "test_stages.py",
    "test_tracking.py",
    "test_debugging.py",  # two terminal sessions in ipdb
    "test_doctor.py",
    "test_repo_bench.py",  # bench.py and trainer=profile on both twins
    "test_speed.py",
    "test_docs_site.py",  # mkdocs builds, then Chromium opens every page
    "test_docker.py",  # minutes where podman is set up and its layers are cold
    "test_ci_workflow.py",
    "test_mix.py",
    "test_overrides_by_kind.py",
    "test_update_release.py",
    "test_golden.py",
    "test_gen_faults.py",
    "test_bench.py",
    "test_pretrained.py",
    "test_packaging.py",
    "test_cli.py",
]


def pytest_configure(config):
    """Two test processes share the two cores (addopts -n 2), and most tests start torch
    or paddle in a subprocess: left to itself each takes every core for its OpenMP
    threads, and the two fight (a Lightning run took 5x as long beside another). One
    thread each, in these processes (before torch is imported) and all they start; the
    Paddle twin's own choice when it is unset (every core) runs in
    test_a_gpu_request_without_a_gpu_is_refused_in_the_same_words.

    xdist hands each worker its next test one at a time (its default, chunks of up to a
    quarter of those left, once kept one worker on the slow tests of test_failures.py
    for 160 s while the other had finished)."""
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    if getattr(config.option, "maxschedchunk", 0) is None:
        config.option.maxschedchunk = 1


# Modules whose module- or session-scoped fixtures train a run: each group's tests go to
# one worker (addopts --dist loadgroup), which trains once; spread over both workers, each
# trained its own copy (2026-11-28: ~290 s of CI's worker time, twice the same runs).
ONE_WORKER = {
    "test_segmentation.py": "segmentation",
    "test_detection.py": "detection",
    "test_runs.py": "trained_runs",  # trained_runs is shared by these two
    "test_report.py": "trained_runs",
    "test_tv_detection.py": "tv_detection",
    "test_predict_out.py": "predict_out",
    "test_export_paddle.py": "export_paddle",
    "test_export.py": "export",
}


def pytest_collection_modifyitems(config, items):
    rank = {name: i for i, name in enumerate(SLOW_MODULES_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))
    if getattr(config.option, "loadgroup", False):  # an xdist worker (--dist loadgroup)
        for item in items:
            if item.path.name in ONE_WORKER:
                # xdist groups by a node id ending "@<group>"; its own xdist_group mark
                # sets `_nodeid`, which pytest 9 no longer reads (its id is `_id`), so
                # every test of a group went to either worker, each making the
                # module's trained projects again (measured: ~4 minutes of CI)
                grouped = f"{item.nodeid}@{ONE_WORKER[item.path.name]}"
                item._id = coerce_node_id(grouped)


def pytest_addoption(parser):
    parser.addoption(
        "--update-goldens",
        action="store_true",
        help="rewrite golden/ from the blueprints instead of comparing",
    )


@pytest.fixture(scope="session")
def rendered(tmp_path_factory) -> Rendered:
    """rendered(name): the whole project of golden spec `name`, rendered once (read it,
    never run in it: golden_copy gives a copy to run in)."""
    return Rendered(tmp_path_factory.mktemp("rendered"))


@pytest.fixture
def golden_copy(tmp_path, rendered):
    """A fresh copy of the project of golden spec `name` to run in."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(rendered(name), target)
        return target

    return copy


def run(
    args: list[str], cwd: Path, timeout: float = 600, env: dict | None = None
) -> subprocess.CompletedProcess:
    """Run a command of an emitted repo with this interpreter; output is captured.
    `env` adds variables to this process's, or removes those it maps to None."""
    env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "PYTHONDONTWRITEBYTECODE": "1",
        **(env or {}),
    }
    env = {name: value for name, value in env.items() if value is not None}
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )


def predictions_shown(run_dir: Path) -> tuple[int, int]:
    """The width and height of the last picture of predictions in a run's TensorBoard
    (val/predictions, both twins), after checking there is one per validation."""
    from tensorboard.backend.event_processing.event_accumulator import (
        EventAccumulator,
    )

    events = EventAccumulator(str(run_dir / "tensorboard"))
    events.Reload()
    assert events.Tags()["images"] == ["val/predictions"]
    shown = events.Images("val/predictions")
    epochs = len(events.Scalars("val/loss"))
    assert len(shown) == epochs, (len(shown), epochs)
    return shown[-1].width, shown[-1].height


@pytest.fixture(scope="session")
def mirror(tmp_path_factory):
    """A local HTTP mirror serving format-exact MNIST, CIFAR-10 and CIFAR-100 files."""
    folder = tmp_path_factory.mktemp("mirror")
    for name, content in mnist_files(300, 100).items():
        (folder / name).write_bytes(content)
    (folder / "cifar-10-python.tar.gz").write_bytes(cifar_archive())
    (folder / "cifar-100-python.tar.gz").write_bytes(cifar_archive(classes=100))
    with serve(folder) as url:
        yield url


@pytest.fixture(scope="session")
def golden_package(rendered):
    """Import the emitted package of golden spec `name` (no bytecode written there)."""
    sys.dont_write_bytecode = True
    added = []

    def load(name: str, module: str = ""):
        folder = str(rendered(name))
        package = name.split("-", 1)[1].replace("-", "_")
        loaded = sys.modules.get(package)
        if loaded is not None and not str(loaded.__file__).startswith(folder):
            # the other twin's package of the same name: forget it, then import this one
            for key in [k for k in sys.modules if k.split(".")[0] == package]:
                del sys.modules[key]
        if folder in sys.path:
            sys.path.remove(folder)
        else:
            added.append(folder)
        sys.path.insert(0, folder)
        return importlib.import_module(f"{package}{'.' + module if module else ''}")

    yield load
    for folder in added:
        sys.path.remove(folder)


# A golden project's runs for runs.py and the report (tests/test_runs.py, test_report.py):
# three short runs in one process (train.py's main, as its command line would call it).
RUNS_OF = {"lightning": "lightning-resnet18-digits", "paddle": "paddle-resnet18-digits"}
SHORT = [
    "trainer=debug",
    "trainer.max_epochs=2",
    "trainer.limit_train_batches=2",
    "trainer.limit_val_batches=1",
    "trainer.enable_progress_bar=false",
]
THREE_RUNS = [  # two seeds of one experiment, and another learning rate
    [*SHORT, "seed=1"],
    [*SHORT, "seed=2", "report=false"],
    [*SHORT, "seed=1", "optimizer.lr=0.01"],
]
TRAIN_IN_ONE_PROCESS = """import json, sys, train
for args in json.loads(sys.argv[1]):
    sys.argv = ["train.py", *args]
    train.main(args)
"""


@pytest.fixture(scope="session", params=sorted(RUNS_OF))
def trained_runs(request, tmp_path_factory, rendered) -> Path:
    """Each twin's resnet18-digits project with THREE_RUNS done under runs/."""
    import json

    project = tmp_path_factory.mktemp("runs") / RUNS_OF[request.param]
    shutil.copytree(rendered(RUNS_OF[request.param]), project)
    result = run(["-c", TRAIN_IN_ONE_PROCESS, json.dumps(THREE_RUNS)], project)
    assert result.returncode == 0, result.stderr[-3000:]
    return project
