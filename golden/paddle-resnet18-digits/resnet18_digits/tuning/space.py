"""hpo.space: which config keys a search varies, and over what. Each entry names a key
of the training config, or a group to pick among its options, and its range:

    optimizer.lr: {type: float, low: 1.0e-4, high: 0.1, log: true}
    trainer.accumulate_grad_batches: {type: int, low: 1, high: 4}
    data.batch_size: {type: categorical, choices: [32, 64, 128]}
    model: {type: categorical, choices: [lenet, resnet18]}

The whole space is checked before any trial runs: a key the config lacks, an empty
range, or a value the config refuses (both ends of each range and every choice are
composed as a trial would be) ends the search before it starts, in one line.
"""

import json
from typing import Any

from omegaconf import DictConfig, OmegaConf

from ..config.compose import compose
from ..config.schema import GROUPS
from ..errors import UserError, did_you_mean

FIELDS = {
    "float": {"low", "high", "log", "step"},
    "int": {"low", "high", "log", "step"},
    "categorical": {"choices"},
}
EXAMPLE = "e.g. optimizer.lr: {type: float, low: 1.0e-4, high: 0.1, log: true}"


def check_space(space: dict, args: list[str]) -> None:
    """Refuse, naming the entry and the fix, anything a trial of `space` would refuse."""
    if not space:
        raise UserError(
            f"hpo.space is empty: name a config key and its range, {EXAMPLE}"
        )
    base = compose(args)
    for key, spec in space.items():
        where = f"hpo.space.{key}"
        check_key(key, base, where)
        for value in ends(spec, where, key in GROUPS):
            try:
                compose([*args, override(key, value)])
            except UserError as error:
                raise UserError(f"{where}: {value!r} is refused: {error}") from None


def check_key(key: str, base: DictConfig, where: str) -> None:
    """A key of the composed config with a value (not a section), or a group's name."""
    value = OmegaConf.select(base, key, default=KeyError)
    if key in GROUPS or (value is not KeyError and not isinstance(value, DictConfig)):
        return
    hint = did_you_mean(key, [*GROUPS, *leaf_keys(base)])
    raise UserError(
        f"{where}: '{key}' is no key of the config.{hint} Keys: python train.py"
        " --print-config"
    )


def ends(spec: Any, where: str, group: bool) -> list:
    """The values that bound the range (both ends, or every choice), checked for form."""
    kind = spec.get("type") if isinstance(spec, dict) else None
    if kind not in FIELDS or (group and kind != "categorical"):
        kinds = "categorical (of its options)" if group else "float, int or categorical"
        raise UserError(f"{where}: give {{type: ..., ...}}, type {kinds}; {EXAMPLE}")
    extra = sorted(set(spec) - FIELDS[kind] - {"type"})
    if extra:
        takes = ", ".join(sorted(FIELDS[kind]))
        raise UserError(
            f"{where}: a {kind} range takes {takes}, not {', '.join(extra)}"
        )
    if kind == "categorical":
        choices = spec.get("choices")
        if not isinstance(choices, list) or len(choices) < 2:
            raise UserError(
                f"{where}: choices must list 2 values or more, e.g. [32, 64]"
            )
        return choices
    low, high, number = (
        spec.get("low"),
        spec.get("high"),
        (int,) if kind == "int" else (int, float),
    )
    if not all(isinstance(v, number) and not isinstance(v, bool) for v in (low, high)):
        raise UserError(
            f"{where}: low and high must be {kind} numbers, e.g. low: 1, high: 4"
        )
    if not low < high:
        raise UserError(f"{where}: low={low} must be below high={high}")
    if spec.get("log") and low <= 0:
        raise UserError(f"{where}: a log range needs low above 0, not {low}")
    if spec.get("log") and spec.get("step") is not None:
        raise UserError(f"{where}: give log or step, not both")
    if kind == "float":  # the middle too: a float range over an int key is refused
        return [low, (low + high) / 2, high]
    return [low, high]


def suggest(trial, space: dict) -> list[str]:
    """The trial's value of each key, drawn by its sampler, as train.py's arguments."""
    values = []
    for key, spec in space.items():
        kind, log, step = spec["type"], spec.get("log", False), spec.get("step")
        if kind == "categorical":
            value = trial.suggest_categorical(key, spec["choices"])
        elif kind == "int":
            value = trial.suggest_int(
                key, spec["low"], spec["high"], step=step or 1, log=log
            )
        else:
            value = trial.suggest_float(
                key, spec["low"], spec["high"], step=step, log=log
            )
        values.append(override(key, value))
    return values


def override(key: str, value: Any) -> str:
    """`key=value` as train.py reads it: a group's option as it is, a value as JSON."""
    return f"{key}={value if isinstance(value, str) else json.dumps(value)}"


def leaf_keys(node: Any, prefix: str = "") -> list[str]:
    """Every key that holds a value, in full: data.batch_size, optimizer.lr, ..."""
    if isinstance(node, DictConfig):
        node = OmegaConf.to_container(node, resolve=True)
    if not isinstance(node, dict):
        return [prefix.rstrip(".")]
    return [
        key
        for name, child in node.items()
        for key in leaf_keys(child, f"{prefix}{name}.")
    ]
