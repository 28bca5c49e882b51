"""The config files: configs/config.yaml and one folder of options per group.

An option may start from another of its group: `extends: default` in
configs/trainer/debug.yaml takes every key of default.yaml, then its own. Every file is
a mapping of keys to values; anything else is refused in one line naming the file.
"""

from pathlib import Path

import yaml
from omegaconf import DictConfig, OmegaConf

from ..errors import UserError, did_you_mean
from .schema import GROUPS

CONFIG_DIR = Path(__file__).resolve().parents[2] / "configs"
MAX_BYTES = 1_000_000  # a config file is text of a few KB


def options_of(group: str) -> list[str]:
    """The options of a group: the YAML files in configs/<group>/."""
    return sorted(p.stem for p in (CONFIG_DIR / group).glob("*.yaml"))


def option_path(group: str, option: str, where: str = "") -> Path:
    path = CONFIG_DIR / group / f"{option}.yaml"
    if not path.is_file():
        options = options_of(group) or [f"none: configs/{group}/ holds no .yaml"]
        hint = did_you_mean(option, options)
        raise UserError(
            f"{where}no {group} option '{option}'.{hint} Options: {', '.join(options)}"
        )
    return path


def read_yaml(path: Path) -> DictConfig:
    """The keys and values in `path`; a file that holds anything else is refused."""
    project = CONFIG_DIR.parent
    shown = path.relative_to(project) if path.is_relative_to(project) else path
    try:
        text = read_text(path)
    except OSError as error:  # missing, a folder, unreadable
        raise UserError(f"cannot read {shown}: {error.strerror or error}") from None
    except (UnicodeDecodeError, ValueError) as error:
        raise UserError(f"{shown} is not a config file: {error}") from None
    if "\n<<<<<<< " in f"\n{text}":
        raise UserError(f"{shown} holds conflict markers (<<<<<<<) from an update")
    try:
        content = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark, problem = getattr(error, "problem_mark", None), getattr(
            error, "problem", ""
        )
        where = f" at line {mark.line + 1}" if mark else ""
        raise UserError(
            f"{shown} is not valid YAML{where}: {problem or error}"
        ) from None
    if not isinstance(content, dict | None):
        kind = "a list" if isinstance(content, list) else f"the value {content!r}"
        raise UserError(f"{shown} must hold keys and values, not {kind}")
    return OmegaConf.create(content or {})


def read_text(path: Path) -> str:
    """A regular file's UTF-8 text, up to MAX_BYTES: a pipe would block, a huge or
    binary file is no config."""
    if path.exists() and not path.is_file() and not path.is_dir():
        raise ValueError("it is not a regular file (a pipe or a device?)")
    with open(path, "rb") as f:
        data = f.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES or b"\0" in data:
        raise ValueError(f"binary, or over {MAX_BYTES // 1000} KB")
    return data.decode("utf-8")


def read_root() -> tuple[dict[str, str], DictConfig]:
    """configs/config.yaml: the option it picks for each group, and its own keys."""
    root = read_yaml(CONFIG_DIR / "config.yaml")
    defaults = root.pop("defaults", {})
    picks = OmegaConf.to_container(defaults) if isinstance(defaults, DictConfig) else 0
    if not isinstance(picks, dict) or not all(
        isinstance(v, str) for v in picks.values()
    ):
        raise UserError(
            "configs/config.yaml: defaults must name one option per group, e.g. model: resnet18"
        )
    for group in picks:
        if group not in GROUPS:
            hint = did_you_mean(group, GROUPS)
            raise UserError(
                f"configs/config.yaml: defaults names no group '{group}'.{hint} Groups: {', '.join(GROUPS)}"
            )
    return picks, root


def read_option(group: str, option: str, seen: tuple[str, ...] = ()) -> DictConfig:
    """configs/<group>/<option>.yaml, on top of the option it `extends`, if any."""
    where = f"configs/{group}/{option}.yaml"
    if option in seen:
        chain = " -> ".join((*seen, option))
        raise UserError(f"{where}: options extend each other in a circle: {chain}")
    node = read_yaml(option_path(group, option))
    parent = node.pop("extends", None)
    if parent is None:
        return node
    if not isinstance(parent, str):
        raise UserError(f"{where}: extends must name one {group} option, e.g. default")
    option_path(group, parent, f"{where}: extends '{parent}': ")
    return OmegaConf.merge(read_option(group, parent, (*seen, option)), node)
