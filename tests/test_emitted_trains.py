"""The goldens train, on both backends: real learning on digits, the full run record, eval,
predict, rerun from a saved config, training strategies as config, and the
downloadable datasets through a local HTTP mirror."""

import json
from pathlib import Path

import pytest

from tests.conftest import run
from tests.goldens import FULL

DEBUG = ["trainer=debug", "trainer.enable_progress_bar=false"]
QUIET = DEBUG[1:]
BACKENDS = ["lightning", "paddle"]
SUFFIX = {"lightning": ".ckpt", "paddle": ".pdparams"}  # ckpt_path names this file


def only_run(project: Path) -> Path:
    (run_dir,) = (project / "runs").iterdir()
    return run_dir


def metrics_of(run_dir: Path) -> dict:
    return json.loads((run_dir / "metrics.json").read_text())


def checkpoint(run_dir: Path, backend: str, name: str) -> Path:
    return run_dir / "checkpoints" / f"{name}{SUFFIX[backend]}"


def config_in_checkpoint(path: Path, backend: str) -> dict:
    if backend == "lightning":
        import torch

        return torch.load(path, weights_only=True)["hyper_parameters"]["config"]
    return json.loads(path.with_suffix(".json").read_text())["config"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_lenet_learns_digits_with_no_arguments_and_eval_and_predict_use_the_checkpoint(
    golden_copy, tmp_path, backend
):
    project = golden_copy(f"{backend}-lenet-digits")
    result = run(["train.py"], project)
    assert result.returncode == 0, result.stderr
    run_dir = only_run(project)
    metrics = metrics_of(run_dir)
    assert metrics["test/acc"] >= 0.95
    assert set(metrics) == {
        "train/loss",
        "val/loss",
        "val/acc",
        "val/acc_top5",
        "test/loss",
        "test/acc",
        "test/acc_top5",
    }
    assert f"run: runs/{run_dir.name}" in result.stdout
    assert "test/acc" in result.stdout.split("run: ")[-1]  # final metrics printed last
    record = json.loads((run_dir / "record.json").read_text())
    assert record["status"] == "finished" and record["seed"] == 42
    assert record["data"]["test_size"] == 360 and record["hardware"]["cpu_count"] >= 1
    assert record["model"] == {"name": "lenet", "parameters": 21386}
    assert (run_dir / "metrics.csv").is_file()
    assert any((run_dir / "tensorboard").glob("events.out.tfevents.*"))
    for name in ("best", "last"):
        saved = config_in_checkpoint(checkpoint(run_dir, backend, name), backend)
        assert saved["model"]["name"] == "lenet"

    best = checkpoint(run_dir, backend, "best")
    evaluated = run(["eval.py", f"ckpt_path={best}"], project)
    assert evaluated.returncode == 0, evaluated.stderr
    printed = dict(
        line.split() for line in evaluated.stdout.splitlines() if "/" in line
    )
    assert float(printed["test/acc"]) == pytest.approx(metrics["test/acc"], abs=1e-4)

    images = write_digit_pngs(tmp_path / "images")
    predicted = run(["predict.py", f"ckpt_path={best}", f"inputs={images}"], project)
    assert predicted.returncode == 0, predicted.stderr
    lines = [line.split("\t") for line in predicted.stdout.strip().splitlines()]
    assert len(lines) == 10
    correct = [label == Path(path).stem[-1] for path, label, _ in lines]
    assert sum(correct) >= 7  # a LeNet that scores 0.95 gets most digits right


@pytest.mark.parametrize("backend", BACKENDS)
def test_same_seed_same_metrics_and_a_saved_config_reruns_the_run(golden_copy, backend):
    project = golden_copy(f"{backend}-lenet-digits")
    first = run(["train.py", "trainer.max_epochs=2", *QUIET], project)
    assert first.returncode == 0, first.stderr
    (first_dir,) = (project / "runs").iterdir()
    again = run(["train.py", "--config", str(first_dir / "config.yaml")], project)
    assert again.returncode == 0, again.stderr
    second_dir = next(p for p in (project / "runs").iterdir() if p != first_dir)
    assert metrics_of(first_dir) == metrics_of(second_dir)
    assert (first_dir / "config.yaml").read_text() == (
        second_dir / "config.yaml"
    ).read_text()


@pytest.mark.parametrize("backend", BACKENDS)
def test_training_strategies_are_config(golden_copy, backend):
    """SGD + step decay, gradient accumulation, clipping and early stopping, by keys alone.

    Early stopping is made certain: a rate of 1e-6 moves no digit across a decision, so
    val/acc stops improving after its first epoch.
    """
    project = golden_copy(f"{backend}-lenet-digits")
    args = ["optimizer=sgd", "optimizer.lr=1e-6", "scheduler=step"]
    args += ["scheduler.step_size=1", "trainer.accumulate_grad_batches=2"]
    args += ["trainer.gradient_clip_val=1.0", "checkpoint.monitor=val/acc"]
    args += ["checkpoint.early_stopping_patience=1", "trainer.max_epochs=8"]
    result = run(["train.py", *args, *QUIET], project)
    assert result.returncode == 0, result.stderr
    epochs = result.stdout.count("\nepoch ")
    assert 2 <= epochs < 8  # stopped early
    assert last_learning_rate(only_run(project), backend) == pytest.approx(
        1e-6 * 0.1**epochs
    )


def last_learning_rate(run_dir: Path, backend: str) -> float:
    """The learning rate in last.*: step decay after every epoch."""
    last = checkpoint(run_dir, backend, "last")
    if backend == "lightning":
        import torch

        state = torch.load(last, weights_only=True)
        assert state["global_step"] % 21 == 0  # 41 batches of 32 digits: 21 steps/epoch
        return state["optimizer_states"][0]["param_groups"][0]["lr"]
    import paddle

    return paddle.load(str(last.with_suffix(".pdopt")))["LR_Scheduler"]["last_lr"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_precision_the_device_lacks_is_refused(golden_copy, backend):
    project = golden_copy(f"{backend}-lenet-digits")
    args = ["trainer.precision=16-mixed", "trainer.accelerator=cpu"]
    result = run(["train.py", *args], project)
    assert result.returncode == 2
    assert "trainer.precision=16-mixed needs a GPU" in result.stderr
    assert not list((project / "runs").glob("*"))  # no run directory left behind


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_gpu_request_without_a_gpu_is_refused_in_the_same_words(golden_copy, backend):
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU: the request is valid here")
    project = golden_copy(f"{backend}-lenet-digits")
    # As a user runs it: the tests set OMP_NUM_THREADS=1 (conftest.py), and Paddle's
    # trainer.py, when it is unset, takes every core before it looks for the GPU.
    users_threads = {"OMP_NUM_THREADS": None}
    result = run(["train.py", "trainer.accelerator=gpu"], project, env=users_threads)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == (
        "error: trainer.accelerator=gpu: no GPU is visible here;"
        " use trainer.accelerator=auto or cpu"
    )
    assert not (project / "runs").exists() or not list((project / "runs").iterdir())


def write_digit_pngs(folder: Path) -> Path:
    """Ten real digits (0..9) from the test split as PNG files named <i>_<label>.png."""
    import numpy as np
    from PIL import Image
    from sklearn.datasets import load_digits

    folder.mkdir()
    digits = load_digits()
    for label in range(10):
        index = int(np.flatnonzero(digits.target == label)[-1])
        pixels = np.round(digits.images[index] * (255 / 16)).astype(np.uint8)
        Image.fromarray(pixels).save(folder / f"{index}_{label}.png")
    return folder


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    "kind, files, batch",
    [
        ("lenet-mnist", "MNIST/raw/train-images-idx3-ubyte.gz", 32),
        ("resnet18-cifar10", "cifar-10-batches-py/data_batch_5", 8),
    ],
)
def test_downloadable_datasets_download_and_train(
    golden_copy, mirror, backend, kind, files, batch
):
    project = golden_copy(f"{backend}-{kind}")
    args = [
        f"data.mirrors=[{mirror}]",
        "data.verify_checksums=false",
        f"data.batch_size={batch}",
    ]
    result = run(["train.py", *args, *DEBUG], project, env={"DATA_MIRRORS_ONLY": "1"})
    assert result.returncode == 0, result.stderr
    assert (project / "data" / files).is_file()
    assert not list((project / "data").rglob("*.part"))
    metrics = metrics_of(only_run(project))
    assert 0 <= metrics["test/acc"] <= 1 and metrics["train/loss"] > 0


@pytest.mark.parametrize("backend", sorted(FULL))
def test_each_backends_own_tests_pass(golden_copy, backend):
    """Once per backend: the emitted tests train digits whatever the spec's data."""
    project = golden_copy(FULL[backend])
    result = run(["-m", "pytest", "-q", "-p", "no:cacheprovider"], project)
    assert result.returncode == 0, result.stdout[-3000:]
