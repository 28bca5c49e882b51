"""docs/troubleshooting.md cannot drift from the code: every message an emitted project
can end with (each `UserError(...)` and each line printed to stderr, read from the code
of both FULL goldens) has a row in the `## python train.py` table, and every row there
is a message the code can still say. A row quotes the message with its values filled in
by an example or by `...`."""

import ast
import re
from pathlib import Path

import pytest

from tests.goldens import FULL, GOLDEN
from tests.messages import SERVE, TRAIN, TUNE, row_spans


def message_pattern(node: ast.expr) -> str | None:
    """A regex for the text an f-string (or a constant, or a sum of them) can make."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return re.escape(node.value)
    if isinstance(node, ast.JoinedStr):
        return "".join(
            re.escape(part.value) if isinstance(part, ast.Constant) else ".*"
            for part in node.values
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = message_pattern(node.left), message_pattern(node.right)
        return left + right if left is not None and right is not None else None
    return None  # built elsewhere: the tests that meet it check it


# The goldens with every optional feature on: their files FULL's lack are stored whole
FEATURED = ("lightning-resnet18-digits", "paddle-resnet18-digits")
ENDINGS = ("errors.py", "record.py")  # the files that end a run with a printed line


def says(call: ast.Call, path: Path) -> bool:
    """A UserError, or a line a run ends with (the other prints say how it goes)."""
    name = getattr(call.func, "id", None)
    return name == "UserError" or (name == "print" and path.name in ENDINGS)


def code_messages() -> dict[str, str]:
    """{regex: where} for every message of the FULL goldens' code and the featured
    goldens' own files."""
    found = {}
    for name in [*FULL.values(), *FEATURED]:
        for path in sorted((GOLDEN / name).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Call) and says(node, path) and node.args:
                    pattern = message_pattern(node.args[0])
                    pattern = pattern and pattern.removeprefix(re.escape("error: "))
                    where = f"{path.relative_to(GOLDEN)}:{node.lineno}"
                    if pattern and pattern != ".*":  # `error: {error}` says them all
                        found.setdefault(pattern, where)
    return found


@pytest.fixture(scope="module")
def messages():
    return code_messages(), row_spans(TRAIN) + row_spans(SERVE) + row_spans(TUNE)


def test_every_message_of_the_code_has_a_row(messages):
    """A row's message, or the other twin's wording of it in its meaning column."""
    code, documented = messages
    spans = [span for row in documented for span in row]
    missing = [
        f"{where}: {pattern}"
        for pattern, where in code.items()
        if not any(re.fullmatch(pattern, span) for span in spans)
    ]
    assert not missing, "no row in docs/troubleshooting.md for:\n" + "\n".join(missing)


def test_every_row_is_a_message_the_code_says(messages):
    code, documented = messages
    stale = [
        row[0] for row in documented if not any(re.fullmatch(p, row[0]) for p in code)
    ]
    assert not stale, "rows the code no longer says:\n" + "\n".join(stale)
