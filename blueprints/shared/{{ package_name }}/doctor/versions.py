"""Python, and every package requirements.txt pins against the version installed here:
each one missing or different named, with the pip line that installs the pinned one."""

import platform
import re
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from .findings import Finding

REQUIREMENTS = Path(__file__).resolve().parents[2] / "requirements.txt"
TESTED_PYTHON = (3, 11)  # the README's python3.11 and the Dockerfiles' python:3.11
OLDEST_PYTHON = (3, 10)  # the code's `X | None` types need it
# Distributions that stand in for a pinned one: Paddle's GPU wheel for its CPU wheel.
STAND_INS = {"paddlepaddle": ("paddlepaddle", "paddlepaddle-gpu")}
PIN = re.compile(r"([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;#]+)")
VENV = (
    "python3.11 -m venv .venv && . .venv/bin/activate"
    " && pip install -r requirements.txt"
)


def python(cfg) -> Finding:
    shown, running = platform.python_version(), sys.version_info[:2]
    if running == TESTED_PYTHON:
        return Finding("python", "ok", f"python {shown}")
    tested = ".".join(map(str, TESTED_PYTHON))
    if running < OLDEST_PYTHON:
        return Finding("python", "fail", f"python {shown} is too old", VENV)
    return Finding("python", "warn", f"python {shown}; tested with {tested}", VENV)


def pins(text: str) -> dict[str, str]:
    """{name: version} of each `name==version` line of a requirements file."""
    found = {}
    for line in text.splitlines():
        if match := PIN.match(line.strip()):
            found[match[1].lower()] = match[2]
    return found


def installed(name: str) -> tuple[str, str | None]:
    """The distribution installed for a pinned name (or its stand-in), its version."""
    for distribution in STAND_INS.get(name, (name,)):
        try:
            return distribution, version(distribution)
        except PackageNotFoundError:
            continue
    return name, None


def packages(cfg) -> Finding:
    if not REQUIREMENTS.is_file():
        return Finding("packages", "warn", f"no {REQUIREMENTS}: nothing to compare")
    pinned = pins(REQUIREMENTS.read_text())
    missing, different, fixes = [], [], []
    for name, wanted in pinned.items():
        distribution, have = installed(name)
        if have is None:
            missing.append(name)
        elif have.split("+")[0] != wanted:  # torch's 2.14.1+cu130 is 2.14.1
            different.append(f"{distribution} {have} (pinned {wanted})")
        else:
            continue
        fixes.append(f"{distribution}=={wanted}")
    if not fixes:
        return Finding(
            "packages", "ok", f"{len(pinned)} packages as requirements.txt pins"
        )
    parts = [f"missing: {', '.join(missing)}"] if missing else []
    parts += [f"different: {', '.join(different)}"] if different else []
    found = "; ".join(parts)
    status = "fail" if missing else "warn"  # another version may well run; none cannot
    return Finding("packages", status, found, f"pip install {' '.join(fixes)}")
