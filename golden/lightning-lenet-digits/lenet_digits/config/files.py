"""The config files: configs/config.yaml and one folder of options per group.

An option may start from another of its group: `extends: default` in
configs/trainer/debug.yaml takes every key of default.yaml, then its own.
"""

from pathlib import Path
from typing import Any

import yaml
from omegaconf import DictConfig, OmegaConf

from ..errors import UserError, did_you_mean

CONFIG_DIR = Path(__file__).resolve().parents[2] / "configs"


def options_of(group: str) -> list[str]:
    """The options of a group: the YAML files in configs/<group>/."""
    return sorted(p.stem for p in (CONFIG_DIR / group).glob("*.yaml"))


def option_path(group: str, option: str) -> Path:
    path = CONFIG_DIR / group / f"{option}.yaml"
    if not path.is_file():
        options = options_of(group)
        hint = did_you_mean(option, options)
        raise UserError(
            f"no {group} option '{option}'.{hint} Options: {', '.join(options)}"
        )
    return path


def read_yaml(path: Path) -> Any:
    try:
        return OmegaConf.load(path)
    except yaml.YAMLError as error:
        raise UserError(f"{path} is not valid YAML: {error}") from None
    except FileNotFoundError:
        raise UserError(f"{path} is missing") from None


def read_option(group: str, option: str, seen: tuple[str, ...] = ()) -> DictConfig:
    """configs/<group>/<option>.yaml, on top of the option it `extends`, if any."""
    where = f"configs/{group}/{option}.yaml"
    if option in seen:
        chain = " -> ".join((*seen, option))
        raise UserError(f"{where}: options extend each other in a circle: {chain}")
    node = read_yaml(option_path(group, option))
    if not isinstance(node, DictConfig):
        raise UserError(f"{where} must hold keys and values, like the other options")
    parent = node.pop("extends", None)
    if parent is None:
        return node
    if str(parent) not in options_of(group):
        hint = did_you_mean(str(parent), options_of(group))
        raise UserError(f"{where}: extends '{parent}', not a {group} option.{hint}")
    return OmegaConf.merge(read_option(group, str(parent), (*seen, option)), node)
