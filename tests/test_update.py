"""`copier update` end to end: blueprint v1 -> emit -> user edits -> blueprint v2 -> update.

Runs gen from a git copy of this repository, as a developer's checkout would, so that the
project records that copy and its tags.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from onefit.edits import kept

from tests.goldens import ROOT

SOURCES = ["copier.yml", "pyproject.toml", "generator", "schemas", "blueprints"]
IDENTITY = ["-c", "user.name=Test", "-c", "user.email=test@example.com"]


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *IDENTITY, *args],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


# Imports the checkout at argv[1] as the `onefit` package (generator/ as onefit, its
# schemas/ as onefit.schemas), as the installed package maps them, then runs gen.
FROM_CHECKOUT = """
import importlib.util, sys
root = sys.argv.pop(1)
spec = importlib.util.spec_from_file_location(
    "onefit", f"{root}/generator/__init__.py",
    submodule_search_locations=[f"{root}/generator", root],
)
sys.modules["onefit"] = package = importlib.util.module_from_spec(spec)
spec.loader.exec_module(package)
from onefit.cli import main
main(sys.argv[1:])
"""


def gen(onefit: Path, *args: str) -> subprocess.CompletedProcess:
    """gen as a developer's checkout at `onefit` runs it (not the installed one)."""
    return subprocess.run(
        [sys.executable, "-c", FROM_CHECKOUT, str(onefit), *args],
        cwd=onefit,
        capture_output=True,
        text=True,
        check=False,
    )


def commit_and_tag(folder: Path, tag: str = "") -> None:
    git(folder, "add", "-A")
    git(folder, "commit", "-qm", tag or "change")
    if tag:
        git(folder, "tag", tag)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


@pytest.fixture
def onefit_v1(tmp_path):
    onefit = tmp_path / "onefit"
    onefit.mkdir()
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source,
                onefit / name,
                symlinks=True,  # as git holds them: backend files link to shared/
                ignore=shutil.ignore_patterns("__pycache__"),
            )
        else:
            shutil.copy2(source, onefit / name)
    git(onefit, "init", "-q")
    commit_and_tag(onefit, "v1.0.0")
    return onefit


@pytest.fixture
def project(onefit_v1, tmp_path):
    """A generated project, committed, with the user's own edits committed on top."""
    out = tmp_path / "project"
    result = gen(onefit_v1, "new", "--model", "lenet", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "_commit: v1.0.0" in (out / ".copier-answers.yml").read_text()
    git(out, "init", "-q")
    commit_and_tag(out)
    edit(
        out / "configs/trainer/default.yaml",
        "log_every_n_steps: 50",
        "log_every_n_steps: 10",
    )
    (out / "NOTES.md").write_text("my experiments\n")
    commit_and_tag(out)
    return out


def test_update_brings_new_blueprints_and_keeps_user_edits(onefit_v1, project):
    blueprint = onefit_v1 / "blueprints" / "lightning"
    edit(
        blueprint / "configs/trainer/debug.yaml",
        "limit_train_batches: 5",
        "limit_train_batches: 3",
    )
    edit(
        blueprint / "README.md.jinja",
        "## Training is one command",
        "## Training\n\nOne command.",
    )
    commit_and_tag(onefit_v1, "v2.0.0")

    result = gen(onefit_v1, "update", str(project))

    assert result.returncode == 0, result.stderr + result.stdout
    assert "Updated." in result.stdout
    assert (
        "limit_train_batches: 3" in (project / "configs/trainer/debug.yaml").read_text()
    )
    assert "## Training\n\nOne command." in (project / "README.md").read_text()
    assert (
        "log_every_n_steps: 10"
        in (project / "configs/trainer/default.yaml").read_text()
    )
    assert (project / "NOTES.md").read_text() == "my experiments\n"
    assert "_commit: v2.0.0" in (project / ".copier-answers.yml").read_text()


def test_update_that_collides_with_an_edit_says_where(onefit_v1, project):
    trainer = onefit_v1 / "blueprints/lightning/configs/trainer/default.yaml.jinja"
    edit(trainer, "log_every_n_steps: 50", "log_every_n_steps: 25")
    commit_and_tag(onefit_v1, "v2.0.0")

    result = gen(onefit_v1, "update", str(project))

    assert result.returncode == 1
    assert (
        "configs/trainer/default.yaml" in result.stdout and "<<<<<<<" in result.stdout
    )
    text = (project / "configs/trainer/default.yaml").read_text()
    assert "<<<<<<< before updating" in text and "log_every_n_steps: 10" in text
    assert "log_every_n_steps: 25" in text


def test_an_edited_file_the_blueprints_move_is_named_not_dropped(onefit_v1, project):
    """Copier deletes such a file, edit and all, and exits 0: gen names it, exits 1."""
    edit(project / "configs/trainer/debug.yaml", "max_epochs: 1", "max_epochs: 2")
    commit_and_tag(project)
    configs = onefit_v1 / "blueprints/lightning/configs"
    git(configs, "mv", "trainer/debug.yaml", "trainer/smoke.yaml")  # edited by the user
    git(configs, "mv", "scheduler/step.yaml", "scheduler/steps.yaml")  # not edited
    commit_and_tag(onefit_v1, "v2.0.0")

    result = gen(onefit_v1, "update", str(project))

    assert result.returncode == 1, result.stderr + result.stdout
    shown = "configs/trainer/debug.yaml: git show HEAD:configs/trainer/debug.yaml"
    assert shown in result.stdout
    assert "step.yaml" not in result.stdout  # moved, but nobody's edit went with it
    assert "default.yaml" not in result.stdout  # edited, and the edit is still there
    assert (project / "configs/trainer/smoke.yaml").is_file()
    assert "max_epochs: 2" in git(project, "show", "HEAD:configs/trainer/debug.yaml")


def test_an_edit_counts_as_kept_only_if_the_text_still_holds_it(tmp_path):
    base, theirs, now = (tmp_path / name for name in ("base", "theirs", "now"))
    base.write_text("a\nb\n")
    theirs.write_text("a\nb\nc\n")
    now.write_text("a\nb\nc\n")  # what the update left: the blueprints' text
    assert not kept(now, b"a\nB\n", base, theirs)  # the user's B is gone
    assert kept(now, b"a\nb\nc\n", base, theirs)  # the blueprints made the same edit
    assert not kept(tmp_path / "gone", b"a\nB\n", base, theirs)


def test_update_refuses_uncommitted_work(onefit_v1, project):
    (project / "NOTES.md").write_text("unsaved\n")
    result = gen(onefit_v1, "update", str(project))
    assert result.returncode == 2 and "uncommitted changes" in result.stderr
    assert (project / "NOTES.md").read_text() == "unsaved\n"


def test_a_recorded_version_that_is_gone_is_one_line_not_a_traceback(
    onefit_v1, project
):
    edit(project / ".copier-answers.yml", "_commit: v1.0.0", "_commit: v9.9.9")
    commit_and_tag(project)
    result = gen(onefit_v1, "update", str(project))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"cannot update from {onefit_v1} at v9.9.9" in result.stderr


def test_a_conflict_in_a_project_inside_a_bigger_repository_is_found(
    onefit_v1, tmp_path
):
    """git reports paths from the repository's root; the conflict check must not."""
    monorepo = tmp_path / "monorepo"
    out = monorepo / "models" / "project"
    result = gen(onefit_v1, "new", "--model", "lenet", "--out", str(out))
    assert result.returncode == 0, result.stderr
    git(monorepo, "init", "-q")
    commit_and_tag(monorepo)
    trainer = out / "configs/trainer/default.yaml"
    edit(trainer, "log_every_n_steps: 50", "log_every_n_steps: 10")
    commit_and_tag(monorepo)
    blueprint = onefit_v1 / "blueprints/lightning/configs/trainer/default.yaml.jinja"
    edit(blueprint, "log_every_n_steps: 50", "log_every_n_steps: 25")
    commit_and_tag(onefit_v1, "v2.0.0")

    result = gen(onefit_v1, "update", str(out))

    assert result.returncode == 1, result.stdout + result.stderr
    assert "configs/trainer/default.yaml" in result.stdout
