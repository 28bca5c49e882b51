"""Goldens are the reviewed output: every canonical spec renders to its golden, byte for
byte (whole projects for FULL, the spec-dependent files for the rest: tests/goldens.py).

Regenerate after a blueprint change, then read the diff as a user would:
    pytest tests/test_golden.py --update-goldens && git diff golden/
"""

import ast
import io
import re
import shutil
import subprocess
import sys
import tokenize
from pathlib import Path

import pytest

from tests.goldens import (
    FULL,
    GOLDEN,
    expected_files,
    full_name,
    golden_names,
    render_golden,
    spec_dependent,
    tree,
)

MAX_CODE_LINES = 99  # the user's rule: each component under 100 lines of code


@pytest.mark.parametrize("name", golden_names())
def test_render_matches_golden(name, rendered, request):
    full = tree(rendered(full_name(name)))
    expected = expected_files(name, tree(rendered(name)), full)
    if request.config.getoption("--update-goldens"):
        shutil.rmtree(GOLDEN / name, ignore_errors=True)
        for path, content in expected.items():
            (GOLDEN / name / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / name / path).write_bytes(content)
    golden = tree(GOLDEN / name)
    assert sorted(golden) == sorted(expected), "files differ: run with --update-goldens"
    changed = [path for path in expected if expected[path] != golden[path]]
    assert not changed, f"contents differ: {changed}; run with --update-goldens"


def test_every_golden_has_a_spec_and_every_spec_a_golden():
    folders = sorted(
        p.name for p in GOLDEN.iterdir() if p.is_dir() and p.name != "specs"
    )
    assert folders == golden_names()
    assert set(FULL.values()) <= set(folders)


def test_goldens_store_nothing_twice():
    """Beside the FULL trees, a golden holds only what its spec changes."""
    for name in set(golden_names()) - set(FULL.values()):
        full = tree(GOLDEN / full_name(name))
        assert not set(tree(GOLDEN / name).items()) & set(full.items()), name


def emitted_python(rendered) -> list[Path]:
    """Every distinct emitted Python file: the FULL trees, and each other spec's own."""
    files = [path for name in FULL.values() for path in (GOLDEN / name).rglob("*.py")]
    for name in set(golden_names()) - set(FULL.values()):
        own = [p for p in spec_dependent(name) if p.endswith(".py")]
        # a template another task emits (Paddle's prediction_files.py) is not there
        files += [rendered(name) / p for p in own if (rendered(name) / p).exists()]
    return sorted(files)


def test_emitted_python_is_black_clean(rendered):
    # Named explicitly (this repository's black config excludes golden/) at black's
    # default 88, as an emitted repo without a config sees it.
    files = [str(path) for path in emitted_python(rendered)]
    assert len(files) > 80
    result = subprocess.run(
        [sys.executable, "-m", "black", "--check", "--line-length", "88", *files],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def code_lines(source: str) -> int:
    """Lines of code: blank lines, comment-only lines and docstrings not counted."""
    docstrings, owners = set(), (ast.Module, ast.ClassDef, ast.FunctionDef)
    for node in ast.walk(ast.parse(source)):
        body = node.body if isinstance(node, (*owners, ast.AsyncFunctionDef)) else []
        if body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                docstrings.update(range(body[0].lineno, body[0].end_lineno + 1))
    skipped = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT}
    skipped |= {tokenize.DEDENT, tokenize.ENDMARKER}
    counted = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type not in skipped:
            counted.update(range(token.start[0], token.end[0] + 1))
    return len(counted - docstrings)


def test_code_lines_counts_code_only():
    source = '"""Doc\nstring."""\n\n# comment\nx = 1  # trailing\n\n\ndef f():\n    """Doc."""\n    return (\n        2\n    )\n'
    assert code_lines(source) == 5


def test_emitted_files_stay_under_100_lines_of_code(rendered):
    too_long = {
        str(path): n
        for path in emitted_python(rendered)
        if (n := code_lines(path.read_text())) > MAX_CODE_LINES
    }
    assert not too_long


@pytest.mark.parametrize("backend", sorted(FULL))
def test_the_readme_names_every_file(backend):
    project = GOLDEN / FULL[backend]
    readme = (project / "README.md").read_text()
    package = next(p.name for p in project.iterdir() if (p / "config").is_dir())
    named = set(re.findall(r"`([^`\s]+)`", readme))
    for path in tree(project):
        parts = Path(path).parts
        if parts[0] in ("tests", "configs") or parts[-1] in (
            "README.md",
            "__init__.py",
        ):
            continue  # named by their folder, or the README itself
        inside = "/".join(parts[1:])  # the package's table names its files so
        if parts[0] == package:  # a row may name `data/digits.py`, `mnist.py`, ...
            ok = inside in named or (len(parts) > 2 and parts[-1] in named)
        else:
            ok = path in named
        assert ok, f"{path} is not named in README.md"


def test_a_one_line_template_change_shows_once_per_backend(tmp_path, monkeypatch):
    """A fixed line of a template edited: only the FULL goldens change."""
    import onefit.render

    blueprints = tmp_path / "blueprints"
    shutil.copytree(onefit.render.BLUEPRINTS, blueprints, symlinks=True)
    readme = blueprints / "shared" / "README.md.jinja"
    readme.write_text(readme.read_text().replace("## The files", "## Its files", 1))
    monkeypatch.setattr(onefit.render, "BLUEPRINTS", blueprints)
    renders = {}
    for name in golden_names():
        render_golden(name, tmp_path / name)
        renders[name] = tree(tmp_path / name)
    changed = {
        name
        for name in golden_names()
        if expected_files(name, renders[name], renders[full_name(name)])
        != tree(GOLDEN / name)
    }
    assert changed == set(FULL.values())
