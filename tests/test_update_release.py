"""`gen update` of a project emitted by onefit 0.1.0, the release before the emitted
package was reorganised by concept (config/, records/, ...): the project moves to the new
layout, keeps the user's edits where files stayed, and a user's edit in a file that moved
is reported for a hand merge, never dropped silently."""

import io
import shutil
import subprocess
import sys
import tarfile

import pytest

from tests.conftest import run
from tests.goldens import ROOT
from tests.test_update import SOURCES, commit_and_tag, edit, gen, git

RELEASE = "a0fa5ad"  # onefit 0.1.0: the last commit with the old emitted layout


@pytest.fixture
def onefit_release(tmp_path):
    """A git copy of onefit at RELEASE, tagged v0.1.0."""
    onefit = tmp_path / "onefit"
    onefit.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", RELEASE, *SOURCES],
        capture_output=True,
        check=False,
    )
    assert (
        archive.returncode == 0
    ), f"this test needs onefit's git history: {archive.stderr}"
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(onefit, filter="data")
    git(onefit, "init", "-q")
    commit_and_tag(onefit, "v0.1.0")
    return onefit


def test_a_project_of_the_old_layout_updates_and_moved_edits_are_reported(
    onefit_release, tmp_path
):
    project = tmp_path / "project"
    emitted = subprocess.run(  # the release's own gen, as its users ran it
        [sys.executable, "-m", "generator", "new", "--model=lenet", f"--out={project}"],
        cwd=onefit_release,
        capture_output=True,
        text=True,
        check=False,
    )
    assert emitted.returncode == 0, emitted.stderr
    git(project, "init", "-q")
    commit_and_tag(project)
    compose = project / "lenet_digits" / "compose.py"  # config/compose.py since
    edit(compose, "def split_args(", "# my note on the arguments\ndef split_args(")
    # a line no release since has changed, nor its neighbours (a change next to an
    # edit is a conflict: the data files' augment keys changed below val_fraction)
    trainer_yaml = project / "configs" / "trainer" / "default.yaml"
    edit(trainer_yaml, "max_steps: -1", "max_steps: 1000")
    commit_and_tag(project)
    for name in SOURCES:  # onefit moves on to this checkout's blueprints
        target = onefit_release / name
        if target.is_dir():
            shutil.rmtree(target)
            shutil.copytree(ROOT / name, target, symlinks=True)
        else:
            shutil.copy2(ROOT / name, target)
    for cache in onefit_release.rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)
    commit_and_tag(onefit_release, "v0.2.0")

    result = gen(onefit_release, "update", str(project))

    assert result.returncode == 1, result.stdout + result.stderr
    assert "lenet_digits/compose.py" in result.stdout  # edited, then moved: reported
    assert "lenet_digits/merge.py" not in result.stdout  # moved, never edited: quiet
    assert (
        not compose.exists() and (project / "lenet_digits/config/compose.py").is_file()
    )
    assert "max_steps: 1000" in trainer_yaml.read_text()  # an edit in place stays
    shown = run(["train.py", "--print-config"], project)
    assert shown.returncode == 0, shown.stderr
    assert "max_steps: 1000" in shown.stdout
