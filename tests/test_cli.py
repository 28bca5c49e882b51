"""`gen` as a user meets it: generating, refusing mistakes (exit 2, nothing written),
listing, validating, and never importing torch."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from onefit.catalog import CATALOG
from onefit.schemas.catalog import BACKENDS
from onefit.schemas.spec import Spec

from tests.goldens import ROOT
from tests.messages import assert_one_documented_line


def gen(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "onefit", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def test_new_generates_a_project_and_prints_the_next_commands(tmp_path):
    result = gen("new", "--model", "resnet18", "--backend", "lightning", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    project = tmp_path / "resnet18-digits"
    assert (project / "train.py").is_file() and (project / "resnet18_digits").is_dir()
    assert "cd resnet18-digits" in result.stdout and "python train.py" in result.stdout
    answers = (project / ".copier-answers.yml").read_text()
    assert f"_src_path: {ROOT}" in answers and "_commit: " in answers


def test_a_spec_file_with_flags_on_top(tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text("name: shapes\nmodel: lenet\ndata: mnist\ntrain:\n  epochs: 7\n")
    result = gen(
        "new",
        "--spec",
        str(spec),
        "--data",
        "fashion_mnist",
        "--out",
        "x",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    config = (tmp_path / "x" / "configs" / "config.yaml").read_text()
    trainer = (tmp_path / "x" / "configs" / "trainer" / "default.yaml").read_text()
    assert "data: fashion_mnist" in config and "max_epochs: 7" in trainer
    assert (tmp_path / "x" / "shapes").is_dir()


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["--model", "resnt18"],
            "model: unknown model 'resnt18'. Did you mean resnet18",
        ),
        (
            ["--model", "lenet", "--data", "svhn"],
            "data: unknown dataset 'svhn'",
        ),
        (["--model", "lenet", "--name", "Bad Name"], "name: use lowercase letters"),
        (
            ["--model", "lenet", "--with", "hpp"],
            "features: unknown feature 'hpp'. Did you mean hpo",
        ),
        (
            ["--task", "instance_segmentation", "--backend", "paddle"],
            "model: task 'instance_segmentation' is Lightning only: no paddle model",
        ),
        (["--task", "segmentaton"], "task: Input should be 'classification'"),
        (
            ["--task", "segmentation", "--model", "lenet"],
            "it does classification. Models for segmentation: unet",
        ),
        (
            ["--task", "segmentation", "--data", "digits"],
            "Datasets for segmentation: digit_canvas, coco, coco2017, voc, voc2012",
        ),
        (["--spec", "missing.yaml"], "missing.yaml: no such spec file"),
    ],
)
def test_mistakes_exit_2_with_one_message_and_write_nothing(tmp_path, args, message):
    result = gen("new", *args, cwd=tmp_path)
    assert result.returncode == 2
    assert message in assert_one_documented_line(result.stderr)
    assert list(tmp_path.iterdir()) == []


def test_a_non_empty_target_is_kept_unless_forced(tmp_path):
    (tmp_path / "lenet-digits").mkdir()
    mine = tmp_path / "lenet-digits" / "notes.txt"
    mine.write_text("mine")
    refused = gen("new", "--model", "lenet", cwd=tmp_path)
    assert refused.returncode == 2 and "is not empty" in refused.stderr
    assert sorted(p.name for p in mine.parent.iterdir()) == ["notes.txt"]
    forced = gen("new", "--model", "lenet", "--force", cwd=tmp_path)
    assert forced.returncode == 0 and (mine.parent / "train.py").is_file()
    assert mine.read_text() == "mine"
    assert not [
        p for p in tmp_path.iterdir() if p.name.startswith(".")
    ]  # no scratch left


def test_list_shows_every_entry_with_backend_columns():
    result = gen("list")
    assert result.returncode == 0
    header = result.stdout.splitlines()[0].split()
    assert header[:4] == ["model", "task", "lightning", "paddle"]
    for name in ["resnet18", "efficientnet_b0", "lenet", "digits", "cifar100", "unet"]:
        assert name in result.stdout
    only = gen("list", "models", "--task", "segmentation").stdout
    assert "unet" in only and "resnet18" not in only
    rows = gen("list", "data", "--task", "segmentation").stdout.splitlines()
    assert [row.split()[0] for row in rows[1:]] == [
        "digit_canvas",
        "coco",
        "coco2017",
        "voc",
        "voc2012",
    ]
    recipe = "15 epochs (detection 30), batch 16"  # a task's own epochs are said
    assert recipe in gen("list", "data").stdout
    detection = gen("list", "data", "--task", "detection").stdout.splitlines()[1]
    assert detection.startswith("digit_canvas") and "30 epochs, batch 16" in detection
    masks = gen("list", "models", "--task", "instance_segmentation").stdout
    assert "maskrcnn_resnet50_fpn" in masks and "Lightning only" in masks
    assert "yolov5n" not in masks
    refused = gen("list", "--task", "detectoin")
    assert refused.returncode == 2 and "Did you mean detection" in refused.stderr
    features = gen("list", "features").stdout.splitlines()
    assert features[0].split()[:5] == [
        "feature",
        "lightning",
        "paddle",
        "needs",
        "adds",
    ]
    assert [row.split()[0] for row in features[1:]] == [
        "export",
        "serve",
        "ci",
        "hpo",
        "wandb",
        "mlflow",
    ]
    assert features[2].split()[3] == "export"  # serve reads an export


def test_help_names_the_backends_and_defaults_the_spec_has():
    """The help is written out (reading the spec would import pydantic); this keeps it true."""
    text = " ".join(gen("new", "--help").stdout.split())
    assert all(backend in text for backend in BACKENDS)
    assert f"{Spec.model_fields['backend'].default} (default)" in text
    task, (_, data) = next(iter(CATALOG.defaults.items()))
    assert f"{task} (default)" in text and f"the task's, e.g. {data}" in text


def test_validate_and_schema(tmp_path):
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text("model: resnet50\ndata: cifar100\n")
    bad.write_text("model: resnet50\ndata: cifar100\ntrain:\n  epoch: 3\n")
    assert gen("validate", str(good)).returncode == 0
    refused = gen("validate", str(bad))
    assert refused.returncode == 2
    message = assert_one_documented_line(refused.stderr)
    assert "train.epoch: unknown field; did you mean epochs?" in message
    schema = json.loads(gen("schema").stdout)
    assert "resnet18" in schema["properties"]["model"]["enum"]


def test_the_generator_never_imports_torch(tmp_path):
    code = (
        "import sys; from onefit.cli import main\n"
        "try:\n    main(['new', '--model', 'resnet18', '--out', 'p'])\n"
        "except SystemExit:\n    pass\n"
        "assert 'torch' not in sys.modules and 'paddle' not in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "p" / "train.py").is_file()
