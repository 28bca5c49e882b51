"""The messages docs/troubleshooting.md documents for `gen`, so that a test can check a
real message against them: a new message without its row, or a row the code no longer
says, fails the test that meets it, and the table cannot drift from the code."""

import re

from tests.goldens import ROOT

TROUBLESHOOTING = ROOT / "docs" / "troubleshooting.md"


def gen_rows() -> list[str]:
    """The message column of the "## gen" table: its first `code` span, per row."""
    section = TROUBLESHOOTING.read_text().split("\n## gen\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return [row.split("`")[1] for row in rows]


def documented(line: str) -> bool:
    """Whether one of the rows says `line` (after `error: `); `...` stands for any text,
    and a field's message may start with the spec file's name."""
    for row in gen_rows():
        pattern = "(.+: )?" + ".*".join(re.escape(part) for part in row.split("..."))
        if re.fullmatch(pattern, line):
            return True
    return False


def assert_one_documented_line(stderr: str) -> str:
    """A refusal's message: one line, `error: ` first, documented in the table."""
    assert "Traceback" not in stderr, stderr
    assert stderr.startswith("error: ") and stderr.count("\n") == 1, stderr
    message = stderr.removeprefix("error: ").rstrip("\n")
    assert documented(message), f"no row of docs/troubleshooting.md says: {message}"
    return message
