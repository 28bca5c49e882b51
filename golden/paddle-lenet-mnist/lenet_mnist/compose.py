"""Compose one run's configuration: config.yaml, then each group's option, then overrides.

`group=option` picks configs/<group>/<option>.yaml; `a.b=value` overrides one key (the
value is read as YAML); `${oc.env:NAME,default}` reads an environment variable.
"""

from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from .config import GROUPS, Config
from .errors import UserError, did_you_mean
from .merge import explain, merge, parse_override, read_yaml
from .options import OPTION_SCHEMAS
from .validate import check_values

CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"


def compose(args: list[str], base: Any | None = None) -> DictConfig:
    """The validated config for `args`; `base` (a saved config) replaces configs/."""
    choices, overrides = split_args(args)
    cfg = OmegaConf.structured(Config)
    if base is None:
        root = read_yaml(CONFIG_DIR / "config.yaml")
        choices = {**root.pop("defaults", {}), **choices}
        cfg = merge(cfg, root, "in configs/config.yaml")
        for group, option in choices.items():
            path = option_path(group, option)
            where = path.relative_to(CONFIG_DIR.parent)
            cfg = merge(
                cfg, {group: typed(group, read_yaml(path), where)}, f"in {where}"
            )
    elif choices:
        given = ", ".join(f"{group}={option}" for group, option in choices.items())
        raise UserError(
            f"{given}: the saved config fixes the group options; set keys instead"
        )
    else:
        base = OmegaConf.create(base)
        for group in OPTION_SCHEMAS:
            if group in base:
                cfg = merge(
                    cfg, {group: typed(group, base.pop(group), "the saved config")}, ""
                )
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
        else:
            overrides.append(arg)
    return choices, overrides


def option_path(group: str, option: str) -> Path:
    path = CONFIG_DIR / group / f"{option}.yaml"
    if not path.is_file():
        options = sorted(p.stem for p in (CONFIG_DIR / group).glob("*.yaml"))
        hint = did_you_mean(option, options)
        raise UserError(
            f"no {group} option '{option}'.{hint} Options: {', '.join(options)}"
        )
    return path


def typed(group: str, node: Any, where: Any) -> Any:
    """`node` checked against the schema its `name` asks for, in groups that have several."""
    schemas = OPTION_SCHEMAS.get(group)
    if schemas is None:
        return node
    name = node.get("name")
    if name not in schemas:
        hint = did_you_mean(str(name), schemas)
        known = ", ".join(schemas)
        raise UserError(
            f"{where}: {group}.name must be one of {known}, not '{name}'.{hint}"
        )
    return merge(OmegaConf.structured(schemas[name]), node, f"in {where}")
