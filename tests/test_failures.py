"""Every stop ends cleanly, on both twins: a resumed run continues in its own directory
from its own config, refusing by name what it cannot change; SIGINT and SIGTERM leave a
resumable run recorded as interrupted (exit 130/143); a killed run is found and marked;
two runs never share a directory; a loss that is no longer finite, a bad checkpoint and a
folder the system refuses each end in one line and exit 2. (Which keys a resumed run may
change: the emitted tests/test_config.py.)"""

import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import run
from tests.messages import TRAIN, assert_one_documented_line
from tests.test_emitted_trains import BACKENDS, QUIET, checkpoint, metrics_of, only_run

SLOW_EPOCHS = ["data.batch_size=8", "scheduler=none", "trainer.max_epochs=5", *QUIET]


def record_of(run_dir: Path) -> dict:
    return json.loads((run_dir / "record.json").read_text())


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_resumed_run_continues_in_its_own_directory_with_its_own_config(
    golden_copy, backend
):
    project = golden_copy(f"{backend}-lenet-digits")
    # cosine is not the project's default (onecycle): resuming must not read configs/
    args = ["scheduler=step", "trainer.max_epochs=2", "trainer.limit_train_batches=5"]
    first = run(["train.py", *args, *QUIET], project)
    assert first.returncode == 0, first.stderr
    run_dir = only_run(project)
    last = checkpoint(run_dir, backend, "last")
    assert not list(run_dir.rglob("*.part*"))  # every file written whole, then renamed
    killed_mid_write = run_dir / "checkpoints" / "last.part.pdparams"
    killed_mid_write.write_text("half a checkpoint")
    resumed = run(["train.py", f"ckpt_path={last}", "trainer.max_epochs=3"], project)
    assert resumed.returncode == 0, resumed.stderr
    assert only_run(project) == run_dir  # no second run directory
    assert not killed_mid_write.exists()  # a killed write's leftover is removed
    assert "epoch 3/3" in resumed.stdout and "epoch 2/3" not in resumed.stdout
    record = record_of(run_dir)
    assert record["status"] == "finished" and len(record["resumed"]) == 1
    assert record["command"] == first.args[1] + " " + " ".join(first.args[2:])
    saved = (run_dir / "config.yaml").read_text()  # the experiment, to rerun it whole
    assert "name: step" in saved and "max_epochs: 3" in saved
    assert "ckpt_path: null" in saved
    refused = run(["train.py", f"ckpt_path={last}", "optimizer.lr=0.5"], project)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert refused.stderr.startswith("error: optimizer.lr=0.5: a resumed run keeps")
    done = run(["train.py", f"ckpt_path={last}"], project)  # 3 of 3 epochs trained
    assert done.returncode == 2 and only_run(project) == run_dir
    assert done.stderr == (
        f"error: ckpt_path={last}: this run already trained 3 of trainer.max_epochs=3"
        " epochs; raise trainer.max_epochs, or start a new run from its weights:"
        " model.pretrained=<the checkpoint>\n"
    )


def start(project: Path, args: list[str]) -> subprocess.Popen:
    """train.py in the background, once its second epoch has ended (so the first one's
    checkpoint is surely written), then a random while longer: a random step."""
    process = subprocess.Popen(
        [sys.executable, "-u", "train.py", *args],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    for line in process.stdout:
        if line.startswith("epoch 2/"):
            time.sleep(random.uniform(0, 0.3))
            return process
    raise AssertionError(process.stderr.read())


@pytest.fixture(scope="module")
def uninterrupted(rendered, tmp_path_factory):
    """metrics(backend): the final metrics of a SLOW_EPOCHS run never interrupted."""
    metrics = {}

    def of(backend: str) -> dict:
        if backend not in metrics:
            out = tmp_path_factory.mktemp(f"{backend}-uninterrupted")
            project = rendered(f"{backend}-lenet-digits")
            whole = run(["train.py", *SLOW_EPOCHS, f"output_dir={out}"], project)
            assert whole.returncode == 0, whole.stderr
            metrics[backend] = metrics_of(next(out.iterdir()))
        return metrics[backend]

    return of


@pytest.mark.parametrize(
    "backend, stop, code",
    [("lightning", signal.SIGTERM, 143), ("paddle", signal.SIGINT, 130)],
)
def test_a_signal_stops_a_run_that_resumes_exactly(
    golden_copy, uninterrupted, backend, stop, code
):
    project = golden_copy(f"{backend}-lenet-digits")
    process = start(project, SLOW_EPOCHS)
    process.send_signal(stop)
    process.wait(timeout=120)
    errors = process.stderr.read()
    assert process.returncode == code, errors
    assert "Traceback" not in errors
    run_dir = only_run(project)
    record = record_of(run_dir)
    assert record["status"] == "interrupted"
    assert record["interrupted"]["signal"] == stop.name
    assert record["interrupted"]["epoch"] >= 2
    last = checkpoint(run_dir, backend, "last")
    assert (
        errors.strip()
        .splitlines()[-1]
        .endswith(f"ckpt_path={last.relative_to(project)}")
    )
    resumed = run(["train.py", f"ckpt_path={last}"], project)
    assert resumed.returncode == 0, resumed.stderr
    assert record_of(run_dir)["status"] == "finished" and "epoch 5/5" in resumed.stdout
    # The lost epoch repeats as it first ran (seeds.py): the same end, to the last digit.
    assert metrics_of(run_dir) == uninterrupted(backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_killed_run_is_marked_killed_and_resumes_exactly(
    golden_copy, uninterrupted, backend
):
    project = golden_copy(f"{backend}-lenet-digits")
    process = start(project, SLOW_EPOCHS)
    process.kill()
    process.wait(timeout=60)
    killed = only_run(project)
    assert record_of(killed)["status"] == "running"  # it could not say otherwise
    assert not list(killed.rglob("*.part*"))  # nor left a file half-written
    after = run(["train.py", "trainer=debug", *QUIET], project)
    assert after.returncode == 0, after.stderr
    assert record_of(killed)["status"] == "killed"
    last = checkpoint(killed, backend, "last")
    resumed = run(["train.py", f"ckpt_path={last}"], project)
    assert resumed.returncode == 0, resumed.stderr
    record = record_of(killed)
    assert record["status"] == "finished" and len(record["resumed"]) == 1
    assert metrics_of(killed) == uninterrupted(backend)


def test_ddp_stopped_by_sigterm_to_every_process_resumes_as_one_run(golden_copy):
    """DDP on two CPU processes (gloo) here, no code change. A cluster's SIGTERM reaches
    every process of the job: one record says interrupted, one line says how to resume,
    no worker is left, and the resumed run ends in the same directory, once."""
    project = golden_copy("lightning-lenet-digits")
    ddp = ["trainer.accelerator=cpu", "trainer.devices=2", "trainer.max_epochs=3"]
    process = subprocess.Popen(
        [sys.executable, "-u", "train.py", *ddp, "data.batch_size=16", *QUIET],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a cluster job has
    )
    for line in process.stdout:
        if line.startswith("epoch 1/"):
            break
    os.killpg(process.pid, signal.SIGTERM)
    _, errors = process.communicate(timeout=120)
    assert process.returncode == 143 and "Traceback" not in errors, errors
    assert errors.count("interrupted at epoch") == 1
    assert not alive_after(process.pid, seconds=20)  # no worker outlives the job
    run_dir = only_run(project)
    assert record_of(run_dir)["status"] == "interrupted"
    resumed = run(
        ["train.py", f"ckpt_path={checkpoint(run_dir, 'lightning', 'last')}"], project
    )
    assert resumed.returncode == 0, resumed.stderr
    assert only_run(project) == run_dir  # the worker wrote into rank 0's directory
    assert resumed.stdout.count("\nrun: ") == 1
    record = record_of(run_dir)
    assert record["hardware"]["devices"] == 2 and record["status"] == "finished"
    best = checkpoint(run_dir, "lightning", "best")
    evaluated = run(["eval.py", f"ckpt_path={best}"], project)
    printed = dict(
        line.split() for line in evaluated.stdout.splitlines() if "/" in line
    )
    expected = metrics_of(run_dir)["test/acc"]
    assert float(printed["test/acc"]) == pytest.approx(expected, abs=1e-4)


def alive_after(group: int, seconds: float) -> bool:
    """Whether a process of `group` is still there after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return False
        time.sleep(0.1)
    return True


def test_two_runs_in_one_process_never_share_a_directory(golden_copy):
    """Nor a train.py the process starts after its own runs (a script, a notebook):
    only a launched DDP worker shares its parent's directory."""
    project = golden_copy("paddle-lenet-digits")
    code = (
        "import subprocess, sys\n"
        "from lenet_digits.config.compose import compose\n"
        "from lenet_digits.training import train\n"
        "args = ['trainer=debug', 'trainer.enable_progress_bar=false']\n"
        "cfg = compose(args)\n"
        "print(train(cfg)[0] != train(cfg)[0])\n"
        "subprocess.run([sys.executable, 'train.py', *args], check=True)\n"
    )
    result = run(["-c", code], project)
    assert result.returncode == 0, result.stderr
    assert "True" in result.stdout
    assert len(list((project / "runs").iterdir())) == 3


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_loss_that_is_no_longer_finite_stops_the_run(golden_copy, backend):
    project = golden_copy(f"{backend}-lenet-digits")
    args = ["optimizer=sgd", "optimizer.lr=1e6", "trainer.max_epochs=2", *QUIET]
    result = run(["train.py", *args], project)
    assert result.returncode == 2, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("error: train/loss became nan at step ")
    assert "lower optimizer.lr (now " in last and "Traceback" not in result.stderr
    assert record_of(only_run(project))["status"].startswith("failed: UserError")


def test_a_folder_the_system_refuses_is_one_line(golden_copy):
    project = golden_copy("paddle-lenet-digits")
    result = run(["train.py", "output_dir=/proc/runs", "trainer=debug"], project)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "error: No such file or directory: /proc/runs (is the folder there, writable,"
        " with space left? data.root and output_dir choose where runs read and write)"
    )


def test_checkpoints_that_are_not_whole_are_named(golden_package, tmp_path):
    import torch

    lightning = golden_package("lightning-resnet18-digits", "checkpoint")
    paddle = golden_package("paddle-lenet-digits", "checkpoint")
    user_errors = (  # each package's own UserError
        golden_package("lightning-resnet18-digits", "errors").UserError,
        golden_package("paddle-lenet-digits", "errors").UserError,
    )
    whole = tmp_path / "whole.ckpt"
    torch.save({"hyper_parameters": {"config": {}}}, whole)
    cut = tmp_path / "cut.ckpt"
    cut.write_bytes(whole.read_bytes()[:200])
    (tmp_path / "text.ckpt").write_text("hello\n")
    (tmp_path / "empty.ckpt").write_bytes(b"")
    (tmp_path / "text.pdparams").write_text("hello\n")
    (tmp_path / "notes.txt").write_text("hello\n")
    cases = [
        (lightning, "cut.ckpt", "is not a whole checkpoint"),
        (lightning, "text.ckpt", "is not a whole checkpoint"),
        (lightning, "empty.ckpt", "is not a whole checkpoint"),
        (lightning, "text.pdparams", "is a PaddlePaddle checkpoint"),
        (lightning, "missing.ckpt", "no such file"),
        (paddle, "whole.ckpt", "is a PyTorch Lightning checkpoint"),
        (paddle, "text.pdparams", "has no readable text.json beside it"),
        (paddle, "missing.pdparams", "no such file"),
        (paddle, "missing.ckpt", "no such file"),
        (paddle, "text.ckpt", "is a PyTorch Lightning checkpoint"),
        (paddle, "notes.txt", "is not a .pdparams checkpoint"),
    ]
    for module, name, message in cases:
        with pytest.raises(user_errors, match=message):
            module.read_checkpoint(str(tmp_path / name))


@contextmanager
def small_disk(folder: Path, size: int, largest_file: int):
    """A folder that holds at most `size` bytes: a tmpfs where this machine lets us mount
    one (the disk says ENOSPC; yields None), else files of at most `largest_file` bytes
    for the process that writes there (the system says EFBIG; yields its preexec_fn)."""
    folder.mkdir()
    mount = ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)]
    if (
        shutil.which(mount[0])
        and subprocess.run(mount, capture_output=True).returncode == 0
    ):
        try:
            yield None
        finally:
            subprocess.run(["umount", str(folder)], check=False)
        return

    def limit_file_size() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # an error to handle, not a kill
        resource.setrlimit(resource.RLIMIT_FSIZE, (largest_file, largest_file))

    yield limit_file_size


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_full_disk_while_checkpointing_is_one_line_and_keeps_what_was_whole(
    golden_copy, backend, tmp_path
):
    project = golden_copy(f"{backend}-lenet-digits")
    sized = run(["train.py", "trainer=debug", *QUIET, "loggers=[]"], project)
    assert sized.returncode == 0, sized.stderr
    best = checkpoint(only_run(project), backend, "best")
    weights = [best, best.with_suffix(".pdopt")]  # Paddle's are in two files
    sizes = [f.stat().st_size for f in weights if f.exists()]
    # A disk with room for the best checkpoint and the records, not for last.* beside
    # it; or, where no disk can be mounted, no room for any checkpoint file.
    with small_disk(tmp_path / "disk", sum(sizes) * 3 // 2, min(sizes) // 2) as limit:
        args = [
            "trainer=debug",
            *QUIET,
            "loggers=[]",
            f"output_dir={tmp_path / 'disk'}",
        ]
        full = subprocess.run(
            [sys.executable, "train.py", *args],
            cwd=project,
            capture_output=True,
            text=True,
            preexec_fn=limit,
            check=False,
        )
        assert full.returncode == 2, full.stderr
        assert "Traceback" not in full.stderr
        (line,) = full.stderr.strip().splitlines()
        stopped_at = "best" if limit else "last"
        assert line.startswith("error: no room to write ")
        assert f"/checkpoints/{stopped_at}." in line
        assert line.endswith("the checkpoints already there are whole")
        (run_dir,) = (tmp_path / "disk").iterdir()
        assert not list(run_dir.rglob("*.part*"))
        assert record_of(run_dir)["status"].startswith("failed: UserError: no room")
        if not limit:
            best_on_disk = checkpoint(run_dir, backend, "best")
            tested = run(["eval.py", f"ckpt_path={best_on_disk}"], project)
            assert tested.returncode == 0, tested.stderr  # whole, and usable


def test_a_paddle_checkpoint_changed_after_saving_is_refused(golden_copy):
    """The .json beside a .pdparams records its sha256 as train.py wrote it: a byte
    changed in the middle (which paddle itself loads without a word) is refused by
    eval.py and by a resume, in one documented line."""
    project = golden_copy("paddle-lenet-digits")
    trained = run(["train.py", "trainer=debug", "scheduler=none", *QUIET], project)
    assert trained.returncode == 0, trained.stderr
    (run_dir,) = (project / "runs").iterdir()
    best = run_dir / "checkpoints" / "best.pdparams"
    assert (
        len(json.loads(best.with_suffix(".json").read_text())["pdparams_sha256"]) == 64
    )
    assert run(["eval.py", f"ckpt_path={best}"], project).returncode == 0
    data = bytearray(best.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = bytes(255 - b for b in data[middle : middle + 64])
    best.write_bytes(bytes(data))
    last = run_dir / "checkpoints" / "last.pdparams"
    last.write_bytes(bytes(data))
    resume = ["train.py", f"ckpt_path={last}", "trainer.max_epochs=2"]
    for args in (["eval.py", f"ckpt_path={best}"], resume):
        result = run(args, project)
        assert result.returncode == 2, result.stderr
        said = assert_one_documented_line(result.stderr, TRAIN)
        assert said.startswith(
            f"ckpt_path={args[1][10:]} is not the file train.py wrote"
        )


def saved_elsewhere(folder: Path, backend: str, model: str, data: str) -> Path:
    """A checkpoint of another project: a whole file whose config trained `model`."""
    config = {"model": {"name": model}, "data": {"name": data}}
    if backend == "lightning":
        import torch

        path = folder / "best.ckpt"
        torch.save({"hyper_parameters": {"config": config}, "state_dict": {}}, path)
    else:
        path = folder / "best.pdparams"
        path.write_bytes(b"\x80\x04}\x94.")  # an empty pickled dict, as paddle writes
        path.with_suffix(".json").write_text(json.dumps({"config": config}))
    return path


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("script", ["eval.py", "predict.py"])
def test_a_checkpoint_of_another_task_is_named_by_its_model(
    rendered, tmp_path, backend, script
):
    project = rendered(f"{backend}-lenet-digits")
    ckpt = saved_elsewhere(tmp_path, backend, "unet", "digit_canvas")
    result = run([script, f"ckpt_path={ckpt}"], project)
    assert result.returncode == 2, result.stderr
    said = assert_one_documented_line(result.stderr, TRAIN)
    assert said.startswith(
        f"ckpt_path={ckpt} holds a unet model trained on digit_canvas, which this"
        " project does not build (it builds "
    ), said
    assert "lenet" in said and not (project / "runs").exists()


def test_a_paddle_file_named_as_a_lightning_checkpoint_is_one_line(rendered, tmp_path):
    """torch warns about the pickle before it refuses it: the user sees one line."""
    (tmp_path / "paddle.ckpt").write_bytes(b"\x80\x04}\x94.")
    result = run(
        ["eval.py", f"ckpt_path={tmp_path / 'paddle.ckpt'}"],
        rendered("lightning-lenet-digits"),
    )
    assert result.returncode == 2
    assert_one_documented_line(result.stderr, TRAIN)
