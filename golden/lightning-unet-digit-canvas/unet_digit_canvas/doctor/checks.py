"""Every check of `python doctor.py`, in the order printed: the machine first (Python,
packages, GPU, precision, threads), then what the config points at (disks, the run
folder, the dataset). A check that crashes is a finding too, never a traceback."""

from collections.abc import Callable

from . import dataset, disk, gpu, precision, run_folder, threads, versions
from .findings import Finding

CHECKS: list[Callable] = [
    versions.python,
    versions.packages,
    gpu.check,
    precision.check,
    threads.check,
    disk.check,
    run_folder.check,
    dataset.check,
]


def read_config(argv: list[str], usage: str) -> tuple[object, list[Finding]]:
    """train.py's config for `argv`; None, and why, where the config cannot be read
    (a mistake in the arguments ends the command, as in train.py: exit code 2)."""
    try:
        from ..config.cli import parse_cli
    except ImportError as error:  # omegaconf missing: the packages check names it
        said = f"cannot read configs/ ({error}): the checks of folders are skipped"
        return None, [
            Finding("config", "fail", said, "pip install -r requirements.txt")
        ]
    return parse_cli(argv, usage), []


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
