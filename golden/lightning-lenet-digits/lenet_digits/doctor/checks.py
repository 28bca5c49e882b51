"""Every check of `python doctor.py`, in the order printed: the machine first (Python,
packages, GPU, precision), the run's launch and batch plan, threads, then what the
config points at (disks, the run folder, the checkpoint, weights and terminal it
names, the dataset). A check that crashes is a finding too, never a traceback."""

from collections.abc import Callable

from ..errors import UserError
from . import (
    dataset,
    disk,
    gpu,
    inputs,
    launch,
    precision,
    run_folder,
    threads,
    versions,
)
from .findings import Finding

CHECKS: list[Callable] = [
    versions.python,
    versions.packages,
    gpu.check,
    precision.check,
    launch.check,
    threads.check,
    disk.check,
    run_folder.check,
    inputs.check,
    dataset.check,
]
FLAGS = """
Flags:
  -h, --help         show this help
  --json             the findings as JSON: {"ready": ..., "findings": [...]}
  --print-config     print the config the checks read, each value with its source
"""


def read_config(argv: list[str], usage: str) -> tuple[object, list[Finding]]:
    """train.py's config for `argv`; None, and why, where configs/ cannot be read at
    all (omegaconf missing, or of a version that cannot read the schema). A mistake in
    the arguments ends the command as in train.py: one line, exit code 2."""
    try:
        from ..config.cli import parse_cli

        return parse_cli(argv, usage, flags=FLAGS), []
    except UserError:
        raise
    except Exception as error:  # the packages check names the library to mend
        first_line = str(error).split("\n")[0]
        said = f"cannot read configs/ ({type(error).__name__}: {first_line})"
        fix = "pip install -r requirements.txt; the folder and data checks wait for it"
        return None, [Finding("config", "fail", said, fix)]


def examine(argv: list[str], usage: str) -> list[Finding]:
    cfg, found = read_config(argv, usage)
    for check in CHECKS:
        try:
            result = check(cfg)
        except Exception as error:  # the doctor reports what broke, and goes on
            name = check.__module__.rsplit(".", 1)[-1]
            said = f"the check failed: {type(error).__name__}: {error}"
            fix = (
                "pip install -r requirements.txt"
                if isinstance(error, ImportError)
                else ""
            )
            result = Finding(name, "fail", said.splitlines()[0], fix)
        found += result if isinstance(result, list) else [result]
    return found
