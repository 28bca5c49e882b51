"""Folders too big for memory (data.in_memory, data.num_workers, data.decode): images
left in their files are decoded batch by batch by the loader's workers (or, on the
Lightning twin, on the device) and train exactly as the same images in memory; an
image whose pixels are broken past a readable header ends the run in one line, or is
left out with data.skip_corrupt; each bad setting is refused by name."""

import json
import signal
import subprocess
import sys

import numpy as np
import pytest
import torch

from tests.conftest import run
from tests.test_emitted_trains import BACKENDS, QUIET, metrics_of, only_run
from tests.test_image_folders import (
    data_cfg,
    rotated_jpeg,
    write_digits,
)

SPEC = "lightning-resnet18-imagefolder"
GOLDENS = {backend: f"{backend}-resnet18-imagefolder" for backend in BACKENDS}
DIGITS = ["model=lenet", "data=imagefolder", "scheduler=none", *QUIET]
DIGITS += ["data.image_size=8", "trainer.max_epochs=2", "trainer.limit_val_batches=2"]
DIGITS += ["trainer.limit_train_batches=4", "trainer.limit_test_batches=2"]


@pytest.fixture(scope="module")
def package(golden_package):
    return lambda module: golden_package(SPEC, module)


def truncated_jpeg(path) -> None:
    """A JPEG cut in half: its header reads, its pixels do not."""
    from PIL import Image

    pixels = np.random.default_rng(0).integers(0, 255, (64, 64, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(full := path.with_suffix(".full.jpg"), quality=90)
    path.write_bytes(full.read_bytes()[: full.stat().st_size // 2])
    full.unlink()


def jpeg_digits(folder, per_class: int = 12) -> None:
    """The PNG digits written again as JPEGs (what data.decode=device reads)."""
    from PIL import Image

    write_digits(folder / "png", per_class)
    for png in sorted((folder / "png").rglob("*.png")):
        target = folder / "jpg" / png.parent.name / f"{png.stem}.jpg"
        target.parent.mkdir(parents=True, exist_ok=True)
        Image.open(png).resize((16, 16)).save(target, quality=95)


def test_auto_holds_what_fits_and_streams_what_does_not(package, capsys):
    decide = package("data.in_memory").memory_decision
    user_error = package("errors").UserError
    free = package("data.in_memory").available_memory()
    assert free > 0  # Linux: /proc/meminfo
    assert decide(100, 3, 32, "auto") is True
    assert "held in memory (data.in_memory=auto)" in capsys.readouterr().out
    more_than_half = free // (3 * 32 * 32) // 2 + 1000
    assert decide(more_than_half, 3, 32, "auto") is False
    said = capsys.readouterr().out
    assert (
        f"{more_than_half:,} images" in said and "GB free: streamed from disk" in said
    )
    assert decide(100, 3, 32, False) is False  # false streams even what would fit
    with pytest.raises(user_error, match=r"set data.in_memory=false to stream them"):
        decide(free // (3 * 32 * 32), 3, 32, True)  # all of memory: refused when true


def test_streamed_rows_are_the_rows_in_memory(package, tmp_path):
    load_listed = package("data.listing").load_listed
    class_files = package("data.folders").class_files
    ImageFiles = package("data.streamed").ImageFiles
    write_digits(tmp_path / "all", per_class=20)
    held = load_listed(class_files(tmp_path / "all"), "here", data_cfg(in_memory=True))
    cfg = data_cfg(in_memory=False)
    streamed = load_listed(class_files(tmp_path / "all"), "here", cfg)
    assert (
        isinstance(streamed.train_images, ImageFiles)
        and streamed.notes["in_memory"] is False
    )
    assert held.notes["in_memory"] is True
    for split in ("train", "val", "test"):
        files, images = getattr(streamed, f"{split}_images"), getattr(
            held, f"{split}_images"
        )
        assert files.shape == images.shape and len(files) == len(images)
        assert np.array_equal(files[:], images)  # the whole split, read by the pool
        rows = [len(files) - 1, 0, 2]
        batch, labels = files.read(rows)
        assert np.array_equal(batch, images[rows]), split
        assert np.array_equal(labels, getattr(held, f"{split}_labels")[rows])


def test_pixels_broken_past_the_header_stop_the_run_or_are_left_out(
    package, tmp_path, capsys
):
    load_listed = package("data.listing").load_listed
    class_files = package("data.folders").class_files
    user_error = package("errors").UserError
    write_digits(tmp_path / "all", per_class=20)
    truncated_jpeg(broken := tmp_path / "all" / "one" / "zz.jpg")
    listed = class_files(tmp_path / "all")
    streamed = load_listed(listed, "here", data_cfg(in_memory=False))  # header reads
    split = next(
        name
        for name in ("train", "val", "test")
        if str(broken) in map(str, getattr(streamed, f"{name}_images").paths)
    )
    files = getattr(streamed, f"{split}_images")
    row = list(map(str, files.paths)).index(str(broken))
    with pytest.raises(user_error, match="cannot read this image") as stopped:
        files.read([row, 0])
    assert str(stopped.value).startswith(f"{broken}: ") and "skip_corrupt=true" in str(
        stopped.value
    )
    files.skip = True  # as data.skip_corrupt=true makes it
    images, labels = files.read([row, 0])
    assert len(images) == len(labels) == 1 and labels[0] == files.labels[0]
    assert f"skipped unreadable {broken}" in capsys.readouterr().err
    (tmp_path / "all" / "two" / "not.png").write_bytes(b"not an image")
    with pytest.raises(user_error, match=r"not\.png: cannot read this image"):
        load_listed(class_files(tmp_path / "all"), "here", data_cfg(in_memory=False))


def test_device_decoding_gives_the_loaders_images(package, tmp_path, capsys):
    decode_batch = package("data.device_decode").decode_batch
    load_listed = package("data.listing").load_listed
    class_files = package("data.folders").class_files
    ImageFiles = package("data.streamed").ImageFiles
    user_error = package("errors").UserError
    jpeg_digits(tmp_path)
    rotated_jpeg(rotated := tmp_path / "jpg" / "two" / "rotated.jpg")
    truncated_jpeg(broken := tmp_path / "jpg" / "two" / "zz.jpg")
    cfg = data_cfg(decode="device", channels=1, image_size=16)
    load_listed(class_files(tmp_path / "jpg"), "here", cfg)  # the header of each reads
    assert "decoded batch by batch on the device" in capsys.readouterr().out
    paths = sorted((tmp_path / "jpg").rglob("*.jpg"))
    files = ImageFiles(paths, np.arange(len(paths)), cfg)
    good = [i for i, path in enumerate(paths) if path != broken]
    cpu = torch.device("cpu")
    batch = tuple(map(torch.from_numpy, files.read_bytes(good)))
    images, labels = decode_batch(batch, files, cpu)
    loader_images, loader_labels = files.read(good)
    assert images.dtype == torch.uint8 and images.shape == loader_images.shape
    assert torch.equal(labels, torch.from_numpy(loader_labels))
    assert (images.float() - torch.from_numpy(loader_images).float()).abs().mean() < 4
    upright = images[good.index(paths.index(rotated))][0].float()  # turned as by PIL
    assert upright[:5].mean() < 40 and upright[-5:].mean() > 215
    batch = tuple(map(torch.from_numpy, files.read_bytes([paths.index(broken), 0])))
    with pytest.raises(user_error, match=f"{broken}: cannot read this image"):
        decode_batch(batch, files, cpu)
    files.skip = (
        True  # as data.skip_corrupt=true makes it: the rest of the batch goes on
    )
    images, labels = decode_batch(batch, files, cpu)
    assert len(images) == 1 and labels.tolist() == [0]
    with pytest.raises(user_error, match="reads JPEG files only, and 36 are not"):
        load_listed(class_files(tmp_path / "png"), "here", cfg)
    with pytest.raises(user_error, match=r"set data.in_memory=false"):
        load_listed(
            class_files(tmp_path / "jpg"),
            "here",
            data_cfg(decode="device", in_memory=True),
        )


def test_workers_by_where_the_images_are(package):
    streamed = package("data.streamed")
    cores = package("data.image_pool").usable_cores()
    assert streamed.loader_workers("auto", streamed=False) == 0
    assert streamed.loader_workers("auto", streamed=True) == max(1, cores - 1)
    assert streamed.loader_workers(3, streamed=True) == 3


def test_a_workers_error_comes_back_as_its_own_line(package):
    user_error = package("errors").UserError
    line = "photos/a.jpg: cannot read this image (OSError: truncated); fix it"
    trace = 'Traceback (most recent call last):\n  File "x.py", line 1\n'
    for wrapped in (
        f"Caught UserError in DataLoader worker process 3.\nOriginal {trace}"
        f"pkg.errors.UserError: {line}\n",  # torch
        f"DataLoader worker(0) caught UserError with message:\n{trace}"
        f"pkg.errors.UserError: {line}\n",  # paddle
    ):
        assert str(user_error(wrapped)) == line


@pytest.mark.parametrize(
    "override, message",
    [
        ("data.in_memory=maybe", "data.in_memory=maybe is not allowed: must be auto"),
        (
            "data.in_memory=1",
            "'data.in_memory=1': Value '1' of type 'int' is incompatible with type hint 'Union[bool, str]'; data.in_memory must be auto, true or false",
        ),
        ("data.num_workers=-1", "data.num_workers=-1 is not allowed: must be auto or"),
        ("data.num_workers=two", "data.num_workers=two is not allowed"),
        (
            "data.num_workers=true",
            "; data.num_workers must be auto or a number of processes",
        ),
        ("data.decode=gpu", "data.decode"),
        (
            "data=mix data.sources=[{name: imagefolder, weight: 1, in_memory: false}]",
            "data.sources[0].in_memory=False: a mix holds its sources in memory",
        ),
        (
            "data=mix data.sources=[{name: imagefolder, weight: 1, decode: device}]",
            "data.sources[0].decode=device: a mix decodes its sources into memory",
        ),
    ],
)
def test_bad_settings_are_refused_by_name(golden_package, override, message):
    compose = golden_package("paddle-resnet18-imagefolder", "config.compose").compose
    user_error = golden_package("paddle-resnet18-imagefolder", "errors").UserError
    with pytest.raises(user_error) as refused:
        compose(override.split(" ", 1))
    assert message in str(refused.value) and "\n" not in str(refused.value)


@pytest.mark.parametrize("backend", BACKENDS)
def test_streamed_training_and_a_broken_image_mid_run(golden_copy, tmp_path, backend):
    """Lightning: streamed and in-memory runs end with equal metrics (the same order,
    the same pixels). Both: a JPEG whose pixels break mid-run ends in one line, its
    record says why, and data.skip_corrupt=true leaves it out."""
    project = golden_copy(f"{backend}-lenet-digits")
    write_digits(photos := tmp_path / "photos", per_class=30)
    args = [*DIGITS, f"data.root={photos}"]
    streamed = run(["train.py", *args, "data.in_memory=false"], project)
    assert streamed.returncode == 0, streamed.stderr
    assert "streamed from disk (data.in_memory=false)" in streamed.stdout
    first = only_run(project)
    assert json.loads((first / "record.json").read_text())["data"]["in_memory"] is False
    if backend == "lightning":
        held = run(["train.py", *args, "data.in_memory=true"], project)
        assert held.returncode == 0, held.stderr
        second = next(d for d in (project / "runs").iterdir() if d != first)
        assert metrics_of(first) == metrics_of(second)
    write_digits(tmp_path / "split" / "train", per_class=20)
    write_digits(tmp_path / "split" / "val", per_class=5)
    truncated_jpeg(broken := tmp_path / "split" / "val" / "one" / "zz.jpg")
    args = [*DIGITS, f"data.root={tmp_path / 'split'}"]
    stopped = run(["train.py", *args, "data.in_memory=false"], project)
    assert stopped.returncode == 2, stopped.stderr
    assert stopped.stderr.strip().splitlines()[-1].startswith(f"error: {broken}: ")
    assert "Traceback" not in stopped.stderr
    record = json.loads(
        (sorted((project / "runs").iterdir())[-1] / "record.json").read_text()
    )
    assert record["status"].startswith(f"failed: UserError: {broken}: cannot read")
    skipped = run(
        ["train.py", *args, "data.in_memory=false", "data.skip_corrupt=true"], project
    )
    assert skipped.returncode == 0, skipped.stderr
    assert f"skipped unreadable {broken}" in skipped.stderr


def test_paddle_refuses_device_decoding_before_a_run(golden_copy, tmp_path):
    """train.py and check_data.py alike (the rule is read as the config is composed)."""
    project = golden_copy("paddle-lenet-digits")
    write_digits(photos := tmp_path / "photos", per_class=5)
    for script in ("train.py", "check_data.py"):
        refused = run(
            [script, *DIGITS, f"data.root={photos}", "data.decode=device"], project
        )
        assert refused.returncode == 2, script
        assert refused.stderr.strip() == (
            "error: data.decode=device is built on the Lightning twin (torchvision's"
            " nvJPEG); this Paddle project decodes JPEGs in its loader processes:"
            " set data.decode=cpu"
        ), script
    assert not (project / "runs").exists()


def test_a_batch_with_no_readable_image_takes_the_next_readable_one(
    package, tmp_path, capsys
):
    """data.skip_corrupt=true: a batch whose every image is unreadable (one image, at
    data.batch_size=1) is the split's next readable image instead; an empty batch made
    the loss nan (Lightning) or broke paddle's reader thread."""
    decode_batch = package("data.device_decode").decode_batch
    ImageFiles = package("data.streamed").ImageFiles
    user_error = package("errors").UserError
    jpeg_digits(tmp_path, per_class=2)
    truncated_jpeg(broken := tmp_path / "jpg" / "one" / "000.jpg")
    paths = sorted((tmp_path / "jpg").rglob("*.jpg"))
    row = paths.index(broken)
    cfg = data_cfg(decode="device", channels=1, image_size=16, skip_corrupt=True)
    files = ImageFiles(paths, np.arange(len(paths)), cfg)
    images, labels = files.read([row])
    assert len(images) == 1 and labels.tolist() == [row + 1]
    assert f"skipped unreadable {broken}" in capsys.readouterr().err
    cpu = torch.device("cpu")
    batch = tuple(map(torch.from_numpy, files.read_bytes([row])))  # its header reads
    images, labels = decode_batch(batch, files, cpu)  # its pixels do not, on the device
    assert images.shape == (1, 1, 16, 16) and labels.tolist() == [row + 1]
    (tmp_path / "gone.jpg").write_bytes(b"")  # a header that no longer reads
    files.paths[row] = tmp_path / "gone.jpg"
    assert files.read_bytes([row])[3].tolist() == [row + 1]
    only_broken = ImageFiles([broken, broken], [0, 1], cfg)
    with pytest.raises(user_error, match="none of the 2 images of a split can be"):
        only_broken.read([0])


def test_device_decoding_refuses_a_png_named_jpg_before_training(package, tmp_path):
    load_listed = package("data.listing").load_listed
    class_files = package("data.folders").class_files
    user_error = package("errors").UserError
    jpeg_digits(tmp_path, per_class=4)
    renamed = tmp_path / "jpg" / "one" / "renamed.jpg"
    renamed.write_bytes((tmp_path / "png" / "one" / "000.png").read_bytes())
    cfg = data_cfg(decode="device", channels=1, image_size=16)
    with pytest.raises(user_error) as refused:
        load_listed(class_files(tmp_path / "jpg"), "here", cfg)
    assert str(refused.value).startswith(f"{renamed}: cannot read this image (a PNG")
    assert "data.decode=cpu any format" in str(refused.value)


KILL_WHILE_WORKERS_START = """
import os, signal
import numpy as np
from lenet_digits.data.batches import ArrayBatches, WholeLoader, keep_batch

class Starting:  # asked for its order while the loader's workers start
    def __iter__(self):
        os.kill(os.getpid(), signal.SIGINT)
        return iter([[[0, 1]]])

    def __len__(self):
        return 1

data = ArrayBatches(np.zeros((2, 1, 4, 4), np.uint8), np.zeros(2, np.int64))
try:
    for batch in WholeLoader(data, batch_sampler=Starting(), collate_fn=keep_batch, num_workers=1):
        pass
except KeyboardInterrupt:
    print("stopped")
"""


def default_sigint() -> None:
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    signal.signal(signal.SIGINT, signal.default_int_handler)


def test_paddle_stopped_while_its_loader_workers_start_says_nothing_more(golden_copy):
    """A streamed Paddle run starts its loader's workers each epoch: Ctrl-C then used
    to leave paddle a half-built iterator, whose clean-up printed a traceback."""
    project = golden_copy("paddle-lenet-digits")
    stopped = subprocess.run(
        [sys.executable, "-c", KILL_WHILE_WORKERS_START],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
        # Ctrl-C as a shell delivers it: a child inherits its parent's blocked and
        # ignored signals, and this test process may hold SIGINT by now (another
        # test's in-process paddle loader holds signals while its workers start).
        preexec_fn=default_sigint,
    )
    assert stopped.stdout.strip() == "stopped", stopped.stderr
    assert (
        "Traceback" not in stopped.stderr and "Exception ignored" not in stopped.stderr
    )


A_WORKER_ENDS_AFTER_THE_STOP = """
import signal, subprocess, sys, time
from pathlib import Path
import torch
from torch.utils.data._utils import signal_handling
from lenet_digits.records.record import exit_interrupted

worker = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
torch._C._set_worker_pids(1, (worker.pid,))  # watched as torch watches its loader's
signal_handling._set_SIGCHLD_handler()
stop = {"signal": "SIGTERM", "epoch": 1, "step": 3}
try:
    exit_interrupted({"interrupted": stop}, Path("no-checkpoint"))
finally:
    worker.terminate()  # as a cluster's SIGTERM to every process of the job
    time.sleep(1)
"""


def test_a_loader_worker_ending_after_a_stop_is_no_error(golden_copy):
    """A cluster's SIGTERM reaches the loader's worker processes too (streamed, under
    DDP): torch raised their ends as a RuntimeError at exit, a traceback after the
    one line that says how the run stopped."""
    stopped = subprocess.run(
        [sys.executable, "-c", A_WORKER_ENDS_AFTER_THE_STOP],
        cwd=golden_copy("lightning-lenet-digits"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert stopped.returncode == 143, stopped.stderr
    assert stopped.stderr.strip() == (
        "interrupted at epoch 1, step 3, before any epoch ended: nothing to resume"
    )


def test_a_saved_configs_bad_value_names_the_key_in_full(golden_package):
    """A --config file (or a checkpoint's config) is read option by option: its mistakes
    name data.in_memory, not in_memory, and what the key takes."""
    compose = golden_package("paddle-resnet18-imagefolder", "config.compose").compose
    user_error = golden_package("paddle-resnet18-imagefolder", "errors").UserError
    with pytest.raises(user_error) as refused:
        compose([], base={"data": {"name": "imagefolder", "in_memory": 1}})
    assert str(refused.value).startswith("bad value for 'data.in_memory' in the saved")
    assert str(refused.value).endswith("; data.in_memory must be auto, true or false")
    with pytest.raises(
        user_error, match=r"unknown key 'data.in_memry' .* Did you mean"
    ):
        compose([], base={"data": {"name": "imagefolder", "in_memry": True}})
