"""Goldens are the reviewed output: every canonical spec renders to its golden, byte for byte.

Regenerate after a blueprint change, then read the diff as a user would:
    pytest tests/test_golden.py --update-goldens && git diff golden/
"""

import shutil
import subprocess
import sys

import pytest

from tests.goldens import GOLDEN, golden_names, render_golden, tree

MAX_LINES = 100  # the user's rule for each emitted component


@pytest.mark.parametrize("name", golden_names())
def test_render_matches_golden(name, tmp_path, request):
    rendered = tmp_path / name
    render_golden(name, rendered)
    if request.config.getoption("--update-goldens"):
        shutil.rmtree(GOLDEN / name, ignore_errors=True)
        shutil.copytree(rendered, GOLDEN / name)
    expected, actual = tree(GOLDEN / name), tree(rendered)
    assert sorted(actual) == sorted(expected), "files differ: run with --update-goldens"
    changed = [path for path in expected if expected[path] != actual[path]]
    assert not changed, f"contents differ: {changed}; run with --update-goldens"


def test_every_golden_has_a_spec_and_every_spec_a_golden():
    folders = sorted(
        p.name for p in GOLDEN.iterdir() if p.is_dir() and p.name != "specs"
    )
    assert folders == golden_names()


@pytest.mark.parametrize("name", golden_names())
def test_emitted_python_is_black_clean(name):
    # Files named explicitly (this repository's black config excludes golden/) and
    # --line-length 88: black's default, as an emitted repo without a config sees it.
    files = sorted(str(p) for p in (GOLDEN / name).rglob("*.py"))
    assert files
    result = subprocess.run(
        [sys.executable, "-m", "black", "--check", "--line-length", "88", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("name", golden_names())
def test_emitted_files_stay_under_100_lines(name):
    too_long = {
        str(path.relative_to(GOLDEN)): n
        for path in (GOLDEN / name).rglob("*.py")
        if (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert not too_long
