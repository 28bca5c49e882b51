"""What every bench does: emit a project, run a command timed, read the epoch lines.

Light on imports: the generator (pydantic, copier) loads only in `emit`, so
`python -m bench gpu --project DIR` runs where only torch is installed.
"""

import re
import subprocess
import sys
import time
from pathlib import Path

EPOCH_LINE = re.compile(r"^epoch .*\((\d+\.\d+) s\)$", re.M)


def emit(out: Path, **choices: str) -> Path:
    """Render the project of a spec made of `choices` (model, data, backend) into `out`."""
    from onefit.answers import answers_for
    from onefit.render import render
    from onefit.source import Source
    from onefit.spec_input import load_spec

    spec = load_spec(None, choices)
    render(answers_for(spec), out, Source("bench", "bench", False), False)
    return out


def timed(cmd: list[str], cwd: Path | None = None) -> tuple[float, str]:
    """Seconds `cmd` took and its output; a failure stops the bench with that output."""
    started = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{' '.join(cmd)} failed:\n{done.stdout}\n{done.stderr}")
    return time.perf_counter() - started, done.stdout


def epoch_seconds(output: str) -> list[float]:
    """The seconds an emitted project printed on its epoch lines."""
    return [float(s) for s in EPOCH_LINE.findall(output)]
