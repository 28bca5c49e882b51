"""The report `python -m bench adversary` writes to docs/adversarial-pass.md: what each
outcome means, a table by kind, and every input that did not end as expected."""

import os
import platform
import time
from pathlib import Path

from .adversary_project import QUICK

OUTCOMES = {
    "refused": "exit 2, one line on stderr starting `error: `, nothing written",
    "accepted": "exit 0; every run it started finished, with no `.part` file left",
    "traceback": "a Python traceback in the output",
    "silent": "exit 0 for an input that should be refused (it cannot train)",
    "left-behind": "refused but wrote files, or left a run unfinished or half-written",
    "lost": "a file that was there before is gone, or (on a refusal) changed",
    "other": "any other exit code, more than one line on stderr, or over the timeout",
}


def table(results: list) -> list[str]:
    lines = ["| kind | inputs | expected ok | " + " | ".join(OUTCOMES) + " |"]
    lines.append("|---" * (3 + len(OUTCOMES)) + "|")
    groups: dict[str, list[str]] = {}  # `x (paddle)`, a one-twin kind, follows `x`
    for kind in dict.fromkeys(r.case.kind for r in results):
        groups.setdefault(kind.split(" (")[0], []).append(kind)
    for kind in [*(k for group in groups.values() for k in group), "all"]:
        rows = [r for r in results if kind in (r.case.kind, "all")]
        counts = [sum(r.outcome == o for r in rows) for o in OUTCOMES]
        accept = sum(r.case.expect == "accept" for r in rows)
        cells = [str(len(rows)), str(accept), *(str(c) if c else "" for c in counts)]
        name = "**all**" if kind == "all" else f"`{kind}`"
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def failures(results: list) -> list[str]:
    lines = []
    for number, r in enumerate((r for r in results if not r.expected), 1):
        output = r.output.splitlines() or ["(no output)"]
        if len(output) > 8:  # a traceback's end says what was raised
            output = [*output[:3], "...", *output[-4:]]
        lines += [
            f"### {number}. {r.outcome}: {r.case.kind} (expected: {r.case.expect})",
            "",
            f"`{r.command}`"
            + (f"; {r.case.what}" if r.case.what else "")
            + (f" (exit {r.code})" if r.code is not None else " (timed out)"),
            "",
            "```text",
            *(line[:300] for line in output),
            *(["# files: " + ", ".join(r.changes[:6])] if r.changes else []),
            "```",
            "",
        ]
    return lines or ["None: every input ended as expected."]


def report(results: list, seconds: float, load: tuple, commit: str) -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    odd = sum(not r.expected for r in results)
    return (
        "\n".join(
            [
                "# Adversarial pass",
                "",
                "Bad inputs, by kind, thrown at `gen new`, `gen update` and both twins'",
                "`train.py`, `eval.py` and `predict.py` (issue 8: every failure ends cleanly).",
                "Each runs in a fresh folder holding a copy of the golden lenet-digits project",
                "(with one finished `trainer=debug` run) and the files the input names.",
                "The inputs and what each should end in: bench/adversary_gen.py and",
                "bench/adversary_project.py; `train.py` inputs are shown without the keys that",
                f"keep a wrongly accepted run short, which come first: `{' '.join(QUICK)}`.",
                "",
                "```bash",
                'pip install -e ".[test]" && python -m bench adversary   # rewrites this file',
                "```",
                "",
                f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} at onefit {commit}",
                "(`-dirty`: with the working tree's changes),",
                f"on {cpu}, {os.cpu_count()} cores, load {load[0]:.1f} at the start",
                f"({platform.system()} {platform.release()}, Python {platform.python_version()}):",
                f"{len(results)} inputs in {seconds / 60:.1f} minutes, two at a time;",
                f"{odd} did not end as expected.",
                "",
                *(f"- **{name}**: {meaning}" for name, meaning in OUTCOMES.items()),
                "",
                *table(results),
                "",
                "## Inputs that did not end as expected",
                "",
                *failures(results),
            ]
        ).rstrip()
        + "\n"
    )
