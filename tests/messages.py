"""The messages docs/troubleshooting.md documents for `gen` and for an emitted project's
`python train.py` (and eval.py, predict.py), so that a test can check a real message
against them: a new message without its row fails the test that meets it, and the
table cannot drift from the code."""

import re

from tests.goldens import ROOT

TROUBLESHOOTING = ROOT / "docs" / "troubleshooting.md"


GEN, TRAIN, SERVE = "gen", "python train.py", "python serve.py"  # the tables' headings
TUNE = "python tune.py"


def rows(heading: str) -> list[str]:
    """The message column of the table under `## heading`: its first `code` span, per row."""
    return [spans[0] for spans in row_spans(heading)]


def row_spans(heading: str) -> list[list[str]]:
    """Every `code` span of each row of the table under `## heading`: the message, then
    (in the meaning column) the other twin's wording of it, and fixes."""
    text = TROUBLESHOOTING.read_text()
    section = text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("| `")]
    return [line.split("`")[1::2] for line in lines]


def documented(line: str, heading: str = GEN) -> bool:
    """Whether one of the rows says `line` (after `error: `); `...` stands for any text,
    and a field's message may start with the file's name."""
    for row in rows(heading):
        pattern = "(.+: )?" + ".*".join(re.escape(part) for part in row.split("..."))
        if re.fullmatch(pattern, line):
            return True
    return False


def assert_one_documented_line(stderr: str, heading: str = GEN) -> str:
    """A refusal's message: one line, `error: ` first, documented in the table."""
    assert "Traceback" not in stderr, stderr
    assert stderr.startswith("error: ") and stderr.count("\n") == 1, stderr
    message = stderr.removeprefix("error: ").rstrip("\n")
    assert_documented(message, heading)
    return message


def assert_documented(message: str, heading: str) -> None:
    where = f"docs/troubleshooting.md ## {heading}"
    assert documented(message, heading), f"no row of {where} says: {message}"
