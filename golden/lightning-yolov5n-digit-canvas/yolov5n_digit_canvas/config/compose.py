"""Compose one run's configuration, layer on layer (config/layers.py): config.yaml and
each group's option, then the experiment, then the env, then the overrides.

`group=option` picks configs/<group>/<option>.yaml; `experiment=NAME` and `env=NAME`
add configs/experiment/NAME.yaml and configs/env/NAME.yaml; `a.b=value` overrides one
key (the value is read as YAML); `${oc.env:NAME,default}` reads an environment
variable. Every OmegaConf error becomes one sentence naming the key, where the value
came from, and the closest valid names.
"""

from typing import Any

import yaml
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from ..errors import UserError, did_you_mean
from .explain import explain
from .files import options_of, read_option, read_root
from .home import expand_home
from .layers import LAYERS, check_series_keys, read_layers, stage_step
from .options import OPTIONS
from .rules import check_values
from .schema import GROUPS, Config

STAGED = ("in configs/experiment/", "in the saved config")  # what stages come with


def compose(
    args: list[str], base: Any | None = None, stage: int | None = None, steps=None
) -> DictConfig:
    """The validated config for `args`; `base` (a saved config) replaces configs/.

    stage: the index of the experiment's stage to apply (stages.py); steps: a list that
    receives each (where, values) merged, in order (--print-config's sources).
    """
    choices, layers, overrides = split_args(args)
    steps = [] if steps is None else steps
    if base is None:
        picks, root = read_root()
        more, layered = read_layers(layers)
        for group, option in {**picks, **more, **choices}.items():
            where = f"configs/{group}/{option}.yaml"
            node = typed(group, read_option(group, option), where)
            steps.append((f"in {where}", {group: node}))
        steps.append(("in configs/config.yaml", root))  # it wins, as in Hydra
        steps += layered
    elif choices.keys() - {"debug"} or "experiment" in layers:
        picked = {k: v for k, v in {**choices, **layers}.items() if k != "debug"}
        given = ", ".join(f"{k}={v}" for k, v in picked.items() if k != "env")
        raise UserError(f"{given}: a saved config fixes its options; set keys instead")
    else:  # a mapping: files.read_yaml or a checkpoint's dict
        base = OmegaConf.create(base)
        # how to debug is this command's choice (debug=ipdb), never the saved run's
        base["debug"] = read_option("debug", choices.get("debug", "none"))
        for group in OPTIONS:
            if group in base:
                node = typed(group, base.pop(group), "the saved config")
                steps.append(("in the saved config", {group: node}))
        steps.append(("in the saved config", base))
        steps += read_layers(layers, saved=True)[1]  # env=: where it runs now
    steps += [(f"in the argument '{line}'", parse_override(line)) for line in overrides]
    staged = [n for n, (where, _) in enumerate(steps) if where.startswith(STAGED)]
    cfg = OmegaConf.structured(Config)
    for n, (where, node) in enumerate(list(steps)):
        cfg = merge(cfg, node, where)
        if stage is not None and n == max(staged, default=len(steps) - 1):
            steps.insert(n + 1, stage_step(cfg, stage, where))  # before env, arguments
            cfg = merge(cfg, steps[n + 1][1], steps[n + 1][0])
    expand_home(cfg)
    try:
        OmegaConf.to_container(cfg, resolve=True, throw_on_missing=True)
    except OmegaConfBaseException as error:
        raise explain(error, cfg, "while resolving ${...}") from None
    check_series_keys(cfg)
    check_values(cfg)
    return cfg


def split_args(args: list[str]) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """Separate `group=option` choices, `experiment=`/`env=` layers and `a.b=value`
    overrides."""
    choices, layers, overrides = {}, {}, []
    for arg in args:
        key, sep, value = arg.partition("=")
        if not sep or not key:
            raise UserError(f"expected group=option or key=value, got '{arg}'")
        if key in GROUPS:
            choices[key] = value
        elif key in LAYERS and value not in ("", "null"):
            layers[key] = value
        elif (group := key.removesuffix(".name")) in OPTIONS:
            options = ", ".join(options_of(group))
            raise UserError(f"{arg}: pick the option instead: {group}=({options})")
        else:
            overrides.append(arg)
    return choices, layers, overrides


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
