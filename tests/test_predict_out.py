"""predict.py of a segmentation or detection project (the twins share it) refuses every
bad form of inputs= and out= in one line before any work, and leaves no empty output
folder behind when nothing could be predicted."""

import shutil
from pathlib import Path

import pytest

from tests.conftest import run
from tests.messages import TRAIN, assert_one_documented_line, documented

GOLDEN = "lightning-unet-digit-canvas"
DEBUG = ["trainer=debug", "trainer.enable_progress_bar=false"]


@pytest.fixture(scope="module")
def project(tmp_path_factory, rendered) -> Path:
    """The golden after a debug run (a few steps): a checkpoint to predict with, and
    canvases to predict."""
    project = tmp_path_factory.mktemp("predict") / GOLDEN
    shutil.copytree(rendered(GOLDEN), project)
    result = run(["train.py", *DEBUG], project)
    assert result.returncode == 0, result.stderr
    return project


def predict(project: Path, *args: str):
    (best,) = (project / "runs").glob("*/checkpoints/best.ckpt")
    return run(["predict.py", f"ckpt_path={best}", *args], project)


@pytest.fixture
def inputs(project, tmp_path) -> Path:
    folder = tmp_path / "inputs"
    folder.mkdir()
    for canvas in sorted((project / "data" / "digit_canvas" / "test").iterdir())[:2]:
        shutil.copy(canvas, folder / canvas.name)
    return folder


def refused(result, *words: str) -> str:
    assert result.returncode == 2, result.stderr
    line = assert_one_documented_line(result.stderr, TRAIN)
    assert all(word in line for word in words), line
    return line


def test_empty_inputs_and_empty_out_are_refused(project, inputs):
    refused(predict(project, "inputs="), "needs inputs=")
    refused(predict(project, f"inputs={inputs}", "out="), "out= is empty")


def test_an_out_that_cannot_hold_folders_is_refused_and_left_as_it_was(
    project, inputs, tmp_path
):
    a_file = tmp_path / "answers.txt"
    a_file.write_text("mine\n")
    refused(predict(project, f"inputs={inputs}", f"out={a_file}"), "is a file")
    below = a_file / "deeper"
    refused(predict(project, f"inputs={inputs}", f"out={below}"), str(a_file))
    assert a_file.read_text() == "mine\n"


def test_an_out_inside_the_inputs_folder_is_refused(project, inputs):
    result = predict(project, f"inputs={inputs}", f"out={inputs / 'predicted'}")
    refused(result, "lies inside", "outside it")
    assert not (inputs / "predicted").exists()


def test_nothing_readable_leaves_no_output_folder(project, tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    for name in ("a.png", "b.jpg"):
        (broken / name).write_bytes(b"not a picture")
    out = tmp_path / "out"
    result = predict(project, f"inputs={broken}", f"out={out}")
    assert result.returncode == 2  # each file listed, then why nothing was written
    last = result.stderr.splitlines()[-1].removeprefix("error: ")
    assert "none of its 2" in last and documented(last, TRAIN), result.stderr
    refused(predict(project, f"inputs={broken / 'a.png'}", f"out={out}"), "a.png")
    assert not out.exists()


def test_a_good_out_is_made_with_its_parents(project, inputs, tmp_path):
    out = tmp_path / "new" / "answers"
    result = predict(project, f"inputs={inputs}", f"out={out}")
    assert result.returncode == 0, result.stderr
    assert (out / "predictions.json").is_file()
    assert len(list(out.glob("*_mask.png"))) == 2
