"""A project's name: its folder, its Python package, and what that package must not hide.

The emitted package sits at the top of the project, so `import <package>` anywhere in it
finds ours first: a name that is also a module the project imports (torch), a standard
module (json), one of the project's own scripts (train) or anything installed where gen
runs (packaging, google, yaml) would break imports in ways that are hard to trace.
"""

import importlib.machinery
import keyword
import os
import sys
from collections.abc import Iterable

NAME_PATTERN = r"^[a-z][a-z0-9_-]{0,62}$"
NAME_RULE = "lowercase letters, digits, - and _, starting with a letter"  # NAME_PATTERN
NAME_MAX = 63  # NAME_PATTERN's length
# Modules the emitted code imports, and folders it writes at run time: a package of the
# same name would shadow them, even where they are not installed yet. The emitted
# tree's own top-level names (train.py, configs/, ...) come from the blueprints:
# Catalog.reserved.
TAKEN = {
    "torch",
    "torchvision",
    "torchmetrics",
    "numpy",
    "omegaconf",
    "yaml",
    "sklearn",
}
TAKEN |= {"pytorch_lightning", "lightning", "lightning_fabric", "safetensors", "paddle"}
TAKEN |= {"tensorboard", "pytest", "conftest", "runs", "data"}
# Where gen's own interpreter finds modules, as it started: later additions (a test's
# sys.path.insert of a generated project) are not the environment.
STARTUP_PATH = tuple(sys.path)
# Finders not to ask: setuptools' distutils shim acts on some names as it is asked
# (`sensitive_tests` clears distutils from sys.modules); it only ever finds distutils.
SKIP = {"_distutils_hack"}


def package_of(project_name: str) -> str:
    """The emitted Python package's name: the project's, importable (- becomes _)."""
    return project_name.replace("-", "_")


def shadows(package: str, reserved: Iterable[str]) -> bool:
    """Whether a top-level package of this name would hide another module."""
    taken = TAKEN | set(reserved) | set(sys.stdlib_module_names)
    return package in taken or keyword.iskeyword(package) or importable(package)


def importable(package: str) -> bool:
    """Whether `import <package>` works in gen's environment; the current folder (on
    sys.path under `python -m`) does not count: it is where the project goes."""
    try:
        here = os.path.realpath(os.getcwd())
    except OSError:  # the current folder was deleted
        here = ""
    paths = [p for p in STARTUP_PATH if p and os.path.realpath(p) != here]
    if importlib.machinery.PathFinder.find_spec(package, paths) is not None:
        return True
    for finder in sys.meta_path:  # editable installs add finders of their own
        if finder is importlib.machinery.PathFinder or type(finder).__module__ in SKIP:
            continue
        try:
            if finder.find_spec(package, None) is not None:
                return True
        except Exception:  # a third-party finder's bug is not the user's mistake
            continue
    return False


def shadow_problem(name: str, reserved: Iterable[str]) -> str | None:
    """Why `name` cannot be a project's name, with one that can; None if it can."""
    package = package_of(name)
    if not shadows(package, reserved):
        return None
    free = [
        other
        for other in (f"{name}-project", f"my-{name}")
        if len(other) <= NAME_MAX and not shadows(package_of(other), reserved)
    ]
    instead = f", e.g. {free[0]}" if free else ""
    return f"would shadow the Python module {package}; pick another{instead}"
