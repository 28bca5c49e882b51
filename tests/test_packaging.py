"""The wheel installs one name, `onefit`, and renders from its own blueprints.

pyproject maps generator/ to `onefit`, schemas/ to `onefit.schemas` and blueprints/ to
data inside it; benchmarks and tests stay out. The wheel is built from a copy of the
checkout, so a stale build/ folder there cannot leak old files into it.
"""

import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from onefit.schemas.catalog import BACKENDS

from tests.goldens import ROOT, tree

LEFT_BEHIND = {".git", ".venv", "build", "dist", "golden", ".pytest_cache"}
# gen with `onefit` imported from argv[1] (the unzipped wheel), ahead of the checkout.
FROM = "import sys; sys.path.insert(0, sys.argv.pop(1)); from onefit.cli import main; main()"


def left_behind(folder: str, names: list[str]) -> set[str]:
    """What the build needs not, at the top of the checkout (build/ it must not see)."""
    if Path(folder) != ROOT:
        return set()
    return {n for n in names if n in LEFT_BEHIND or n.endswith(".egg-info")}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    scratch = tmp_path_factory.mktemp("wheel")
    source = scratch / "source"
    shutil.copytree(
        ROOT,
        source,
        symlinks=True,
        ignore=left_behind,
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            scratch,
            source,
        ],
        check=True,
        capture_output=True,
    )
    (built,) = scratch.glob("*.whl")
    return built


def test_the_wheel_holds_onefit_alone(wheel):
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    names = zipfile.ZipFile(wheel).namelist()
    assert {name.split("/")[0] for name in names} == {
        "onefit",
        f"onefit-{version}.dist-info",
    }
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    for backend in BACKENDS:
        assert f"onefit/blueprints/{backend}/train.py.jinja" in names
        assert f"onefit/blueprints/{backend}/.github/workflows/ci.yml.jinja" in names
    assert "onefit/blueprints/copier.yml" in names and "onefit/schemas/spec.py" in names


def test_the_installed_gen_renders_what_the_checkout_renders(wheel, tmp_path):
    unzipped = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unzipped)
    outputs = {}
    for where, command in {
        "wheel": [sys.executable, "-c", FROM, str(unzipped)],
        "checkout": [sys.executable, "-m", "onefit"],
    }.items():
        out = tmp_path / where
        done = subprocess.run(
            [*command, "new", "--model", "lenet", "--out", str(out)],
            cwd=tmp_path,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr
        outputs[where] = tree(out)
    answers = {
        where: files.pop(".copier-answers.yml") for where, files in outputs.items()
    }
    assert (
        str(ROOT).encode() not in answers["wheel"]
    )  # the wheel's gen and blueprints ran
    assert outputs["wheel"] == outputs["checkout"]
