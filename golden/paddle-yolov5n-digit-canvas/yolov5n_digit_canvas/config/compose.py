"""Compose one run's configuration: config.yaml, then each group's option, then overrides.

`group=option` picks configs/<group>/<option>.yaml; `a.b=value` overrides one key (the
value is read as YAML); `${oc.env:NAME,default}` reads an environment variable. Every
OmegaConf error becomes one sentence naming the key, where the value came from, and the
closest valid names.
"""

from typing import Any

import yaml
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from ..errors import UserError, did_you_mean
from .explain import explain
from .files import options_of, read_option, read_root
from .options import OPTIONS
from .rules import check_values
from .schema import GROUPS, Config


def compose(args: list[str], base: Any | None = None) -> DictConfig:
    """The validated config for `args`; `base` (a saved config) replaces configs/."""
    choices, overrides = split_args(args)
    cfg = OmegaConf.structured(Config)
    if base is None:
        picks, root = read_root()
        for group, option in {**picks, **choices}.items():
            where = f"configs/{group}/{option}.yaml"
            node = typed(group, read_option(group, option), where)
            cfg = merge(cfg, {group: node}, f"in {where}")
        cfg = merge(cfg, root, "in configs/config.yaml")  # it wins, as in Hydra
    elif choices:
        given = ", ".join(f"{group}={option}" for group, option in choices.items())
        raise UserError(f"{given}: a saved config fixes its options; set keys instead")
    else:  # a mapping: files.read_yaml or a checkpoint's dict
        base = OmegaConf.create(base)
        for group in OPTIONS:
            if group in base:
                node = typed(group, base.pop(group), "the saved config")
                cfg = merge(cfg, {group: node}, "in the saved config")
        cfg = merge(cfg, base, "in the saved config")
    for line in overrides:
        cfg = merge(cfg, parse_override(line), f"in the argument '{line}'")
    try:
        OmegaConf.to_container(cfg, resolve=True, throw_on_missing=True)
    except OmegaConfBaseException as error:
        raise explain(error, cfg, "while resolving ${...}") from None
    check_values(cfg)
    return cfg


def split_args(args: list[str]) -> tuple[dict[str, str], list[str]]:
    """Separate `group=option` choices from `a.b=value` overrides."""
    choices, overrides = {}, []
    for arg in args:
        key, sep, value = arg.partition("=")
        if not sep or not key:
            raise UserError(f"expected group=option or key=value, got '{arg}'")
        if key in GROUPS:
            choices[key] = value
        elif (group := key.removesuffix(".name")) in OPTIONS:
            options = ", ".join(options_of(group))
            raise UserError(f"{arg}: pick the option instead: {group}=({options})")
        else:
            overrides.append(arg)
    return choices, overrides


def typed(group: str, node: Any, where: str) -> Any:
    """`node` checked against the schema its `name` asks for, in groups that have several."""
    schemas = OPTIONS.get(group)
    if schemas is None:
        return node
    if not isinstance(node, DictConfig):
        raise UserError(f"{where}: {group} must hold keys and values, with a name")
    name = node.get("name")
    if name not in schemas:
        hint = did_you_mean(str(name), schemas)
        raise UserError(
            f"{where}: {group}.name must be one of {', '.join(schemas)}, not '{name}'.{hint}"
        )
    return merge(OmegaConf.structured(schemas[name]), node, f"in {where}", group)


def parse_override(line: str) -> DictConfig:
    try:
        return OmegaConf.from_dotlist([line])
    except (OmegaConfBaseException, yaml.YAMLError) as error:
        raise UserError(f"cannot read '{line}': {str(error).splitlines()[0]}") from None


def merge(cfg: Any, other: Any, where: str, group: str = "") -> Any:
    """OmegaConf.merge, its errors made one sentence; `group`: the group `cfg` is an
    option of, so that a key is named in full (data.in_memory, not in_memory)."""
    try:
        return OmegaConf.merge(cfg, other)
    except (OmegaConfBaseException, TypeError) as error:  # a list onto a mapping: Type
        raise explain(error, cfg, where, group) from None
