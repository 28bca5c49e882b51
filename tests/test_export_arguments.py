"""export.py refuses a bad checkpoint or export.out from its arguments, in both twins,
before torch or paddle is imported (python -X importtime says which modules loaded):
one documented line, exit code 2, nothing written. No training: a file that looks like
a whole checkpoint (a zip archive, or a pickle) is all these checks read."""

import pickle
import shutil
import zipfile
from pathlib import Path

import pytest

from tests.conftest import run
from tests.messages import TRAIN, assert_one_documented_line

PROJECTS = {
    "lightning": "lightning-resnet18-digits",
    "paddle": "paddle-resnet18-digits",
}
SUFFIX = {"lightning": ".ckpt", "paddle": ".pdparams"}
FRAMEWORK = {"lightning": "torch", "paddle": "paddle"}
IMPORT = "import time:"


def looks_whole(path: Path) -> Path:
    """A file of the checkpoint's format: what train.py writes begins and ends so."""
    if path.suffix == ".ckpt":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("best/data.pkl", pickle.dumps({}))
    else:
        path.write_bytes(pickle.dumps({"weights": [0.0] * 8}, protocol=4))
    return path


@pytest.fixture(scope="module", params=sorted(PROJECTS))
def project(request, tmp_path_factory, rendered) -> tuple[str, Path, Path]:
    """(backend, its project, a checkpoint-like file in a run's checkpoints/)."""
    backend = request.param
    folder = tmp_path_factory.mktemp(backend) / PROJECTS[backend]
    shutil.copytree(rendered(PROJECTS[backend]), folder)
    run_dir = folder / "runs" / "2026-01-01_00-00-00_resnet18_digits"
    (run_dir / "checkpoints").mkdir(parents=True)
    (run_dir / "record.json").write_text("{}")
    ckpt = looks_whole(run_dir / "checkpoints" / f"best{SUFFIX[backend]}")
    return backend, folder, ckpt


def files_in(*folders: Path) -> list[Path]:
    return sorted(path for folder in folders for path in folder.rglob("*"))


def refused(backend: str, project: Path, tmp_path: Path, *args: str) -> str:
    """export.py's one line for `args`, after checking that the framework was not
    imported and that nothing was written in the project or in tmp_path."""
    before = files_in(project, tmp_path)
    result = run(["-X", "importtime", "export.py", *args], project)
    lines = result.stderr.splitlines(keepends=True)
    imported = {line.rsplit("|", 1)[1].strip() for line in lines if IMPORT in line}
    said = "".join(line for line in lines if IMPORT not in line)
    assert result.returncode == 2, said
    assert "resnet18_digits.exporting.arguments" in imported  # -X importtime said
    assert FRAMEWORK[backend] not in imported, said
    assert files_in(project, tmp_path) == before
    return assert_one_documented_line(said, TRAIN)


def test_a_bad_export_out_is_refused_before_the_framework_loads(project, tmp_path):
    backend, folder, ckpt = project
    (tmp_path / "file").write_text("not a folder")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "mine.txt").write_text("keep me")
    (ckpt.parent.parent / "export").write_text("a file where the export goes")
    cases = [
        ("export.out=", "export.out is empty: give a folder"),
        ("export.out=''", "export.out is empty: give a folder"),
        (f"export.out={tmp_path}/file", f"export.out={tmp_path}/file is a file"),
        (f"export.out={tmp_path}/full", "holds files but no manifest.json"),
        (f"export.out={tmp_path}/file/sub", f"{tmp_path}/file is not a folder you can"),
        ("export.out=/proc/onefit", ": /proc is not a folder you can write in"),
        ("export.out=null", "export.out=null ("),  # runs/<run>/export: a file
    ]
    for arg, part in cases:
        said = refused(backend, folder, tmp_path, f"ckpt_path={ckpt}", arg)
        assert part in said, (arg, said)
    assert (tmp_path / "full" / "mine.txt").read_text() == "keep me"


def test_a_checkpoint_that_cannot_be_one_is_refused_before_the_framework_loads(
    project, tmp_path
):
    backend, folder, ckpt = project
    suffix = SUFFIX[backend]
    cut = tmp_path / f"cut{suffix}"
    cut.write_bytes(ckpt.read_bytes()[:-20])  # a copy cut short
    (tmp_path / f"empty{suffix}").write_bytes(b"")
    (tmp_path / f"text{suffix}").write_text("weights")
    other = ".pdparams" if backend == "lightning" else ".ckpt"
    looks_whole(tmp_path / f"twin{other}")
    kind = "a PaddlePaddle" if backend == "lightning" else "a PyTorch Lightning"
    cases = [
        (f"{tmp_path}/none{suffix}", ": no such file; give runs/<run>/checkpoints/"),
        (str(cut), "is not a whole checkpoint (empty, cut short"),
        (f"{tmp_path}/empty{suffix}", "is not a whole checkpoint"),
        (f"{tmp_path}/text{suffix}", "is not a whole checkpoint"),
        (f"{tmp_path}/twin{other}", f"is {kind} checkpoint; give"),
    ]
    if (
        backend == "paddle"
    ):  # its loader reads a .pdparams by name: the run's JSON is no
        (tmp_path / "best.json").write_text("{}")  # checkpoint to give
        cases.append((f"{tmp_path}/best.json", "is not a .pdparams checkpoint; give"))
    for path, part in cases:
        said = refused(backend, folder, tmp_path, f"ckpt_path={path}", "export.out=x")
        assert said.startswith(f"ckpt_path={path}") and part in said, said


def test_a_folder_for_ckpt_path_is_named_a_folder_with_the_file_to_give(
    project, tmp_path
):
    """A run's folder, or its checkpoints/, given as ckpt_path: said to be a folder
    (not "no such file"), naming its best checkpoint; a folder without one, the file
    where a run keeps it."""
    backend, folder, ckpt = project
    best = ckpt.parent / f"best{SUFFIX[backend]}"
    cases = [
        (ckpt.parent.parent, best),  # the run's folder
        (ckpt.parent, best),  # its checkpoints/
        (tmp_path, tmp_path / "checkpoints" / best.name),  # neither
    ]
    for given, named in cases:
        said = refused(backend, folder, tmp_path, f"ckpt_path={given}", "export.out=x")
        assert said == (
            f"ckpt_path={given} is a folder: give a checkpoint file in it, such as"
            f" ckpt_path={named}"
        ), said


@pytest.mark.parametrize("script", ["train.py", "eval.py", "predict.py", "export.py"])
def test_an_empty_ckpt_path_is_refused_not_taken_as_none(project, tmp_path, script):
    """`ckpt_path=$LAST` with LAST unset: train.py started afresh instead of resuming
    (YAML reads an empty value as null). Every script refuses it before its framework
    loads, and nothing is written."""
    backend, folder, _ = project
    before = files_in(folder)
    for empty in ("ckpt_path=", "ckpt_path= "):
        result = run(["-X", "importtime", script, empty], folder)
        lines = result.stderr.splitlines(keepends=True)
        imported = {line.rsplit("|", 1)[1].strip() for line in lines if IMPORT in line}
        said = "".join(line for line in lines if IMPORT not in line)
        assert result.returncode == 2, said
        assert FRAMEWORK[backend] not in imported, said
        line = assert_one_documented_line(said, TRAIN)
        assert line.startswith("ckpt_path is empty (an unset shell variable?)"), line
    assert files_in(folder) == before
