"""Read and merge config pieces; every OmegaConf error becomes one sentence naming the key,
where the value came from, and the closest valid names."""

from pathlib import Path
from typing import Any

import yaml
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import ConfigKeyError, OmegaConfBaseException

from .config import GROUPS
from .errors import UserError, did_you_mean


def read_yaml(path: Path) -> Any:
    try:
        return OmegaConf.load(path)
    except yaml.YAMLError as error:
        raise UserError(f"{path} is not valid YAML: {error}") from None
    except FileNotFoundError:
        raise UserError(f"{path} is missing") from None


def parse_override(line: str) -> DictConfig:
    try:
        return OmegaConf.from_dotlist([line])
    except (OmegaConfBaseException, yaml.YAMLError) as error:
        raise UserError(f"cannot read '{line}': {str(error).splitlines()[0]}") from None


def merge(cfg: Any, other: Any, where: str) -> Any:
    try:
        return OmegaConf.merge(cfg, other)
    except OmegaConfBaseException as error:
        raise explain(error, cfg, where) from None


def explain(error: OmegaConfBaseException, cfg: DictConfig, where: str) -> UserError:
    """One sentence naming the key, where it came from, and the closest valid names."""
    key = error.full_key or "?"
    if isinstance(error, (ConfigKeyError, AttributeError)):
        parent, _, leaf = key.rpartition(".")
        node = OmegaConf.select(cfg, parent) if parent else cfg
        names = list(node) if node else []
        names += [] if parent else [g for g in GROUPS if g not in names]
        prefix = f"{parent}." if parent else ""
        hint = did_you_mean(leaf, names, prefix)
        valid = ", ".join(prefix + name for name in names)
        return UserError(f"unknown key '{key}' {where}.{hint} Valid keys: {valid}")
    return UserError(f"bad value for '{key}' {where}: {str(error).splitlines()[0]}")
