"""`~/` at the start of a path is the home folder, wherever the path is written: on the
command line (bash expands it after `key=`, but zsh and quotes leave it as typed) or in
a YAML file. Taken as written, a folder named ~ would appear in the project."""

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when used: errors.run_cli imports this module in
    # doctor.py, which must run where omegaconf does not import
    from omegaconf import DictConfig, ListConfig


def home_expanded(arg: str) -> str:
    """A `key=~/path` argument with ~ as the home folder; any other as given."""
    key, sep, value = arg.partition("=")
    if sep and value.startswith("~/") and not key.startswith("-"):
        return f"{key}={os.path.expanduser(value)}"
    return arg


def expand_home(node: "DictConfig | ListConfig") -> None:
    """Every value of `node` written `~/...` (not through ${...}) made the home
    folder's, at any depth (data.sources' roots too)."""
    from omegaconf import DictConfig, ListConfig, OmegaConf

    keys = node.keys() if isinstance(node, DictConfig) else range(len(node))
    for key in list(keys):
        if OmegaConf.is_missing(node, key) or OmegaConf.is_interpolation(node, key):
            continue
        value = node[key]
        if isinstance(value, DictConfig | ListConfig):
            expand_home(value)
        elif isinstance(value, str) and value.startswith("~/"):
            node[key] = os.path.expanduser(value)
