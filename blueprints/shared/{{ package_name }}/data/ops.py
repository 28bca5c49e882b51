"""data.augment read as a list of transform ops, each checked against the backend's
transforms module: a preset's name or a list of one-key mappings, e.g.
[{RandomCrop: {size: 32, padding: 4}}, {RandomHorizontalFlip: {}}].

Unknown names and arguments are refused with the closest ones the backend has; values
an op cannot take by the rules both twins share (data/op_rules.py), and ops that are no
augmentation by name (data/presets.py).
"""

import difflib
import inspect
from collections.abc import Callable, Mapping, Sequence
from types import ModuleType
from typing import Any

from omegaconf import OmegaConf

from ..errors import UserError
from .op_rules import check_values
from .presets import EXAMPLE, NOT_OPS, PRESETS, preset_ops


def nearest(word: str, names: Sequence[str], kind: str) -> str:
    """'closest: a, b' for the names close to `word`, or all the names of the kind."""
    close = difflib.get_close_matches(word, names, n=3, cutoff=0.5)
    return f"closest: {', '.join(close)}" if close else f"{kind}: {', '.join(names)}"


def read_ops(
    augment: Any, size: int | None = None, available: Sequence[str] = ()
) -> list[tuple[str, str, dict]]:
    """(where, op name, arguments) for each op that data.augment asks for, a preset's
    for images of `size` (None: only its name is checked) with ops in `available`."""
    if OmegaConf.is_config(augment):
        augment = OmegaConf.to_container(augment, resolve=True)
    if isinstance(augment, str):
        ops = preset_ops(augment, size, available)
        return [
            (f"data.augment={augment} ({name})", name, args)
            for name, args in pairs(ops, f"data.augment={augment}")
        ]
    if not isinstance(augment, list):
        raise UserError(
            f"data.augment must be a preset ({', '.join(PRESETS)}) or a list of ops like"
            f" {EXAMPLE}, not {augment!r}"
        )
    return [
        (f"data.augment[{i}] {name}", name, args)
        for i, (name, args) in enumerate(pairs(augment, "data.augment"))
    ]


def pairs(ops: list, where: str) -> list[tuple[str, dict]]:
    """[(name, arguments)] of a list of one-key mappings {name: {argument: value}}."""
    found = []
    for index, entry in enumerate(ops):
        if not isinstance(entry, Mapping) or len(entry) != 1:
            raise UserError(
                f"{where}[{index}] must map one op name to its arguments, like"
                f" {{RandomHorizontalFlip: {{}}}}, not {entry!r}"
            )
        ((name, args),) = entry.items()
        if not isinstance(args, Mapping | None):
            raise UserError(
                f"{where}[{index}] {name}: its arguments must be a mapping like"
                f" {{size: 32}} ({{}} for none), not {args!r}"
            )
        if name in NOT_OPS:  # here, the config's check: no backend needed
            raise UserError(f"{where}[{index}] {name}: {NOT_OPS[name]}")
        found.append((str(name), dict(args or {})))
    return found


def build_op(
    module: ModuleType,
    names: Sequence[str],
    where: str,
    name: str,
    args: dict,
    image: tuple[int, int],
    adapt: Callable[[str, dict], dict] | None = None,
):
    """The op `name` of `module` (whose ops are `names`) made with `args` for images
    of `image` (channels, size), or a UserError naming what is wrong; `adapt`: the
    arguments as the backend's images need them (paddle's are in 0..1, not 0..255)."""
    if name not in names:
        hint = nearest(name, names, "its ops")
        raise UserError(f"{where}: {module.__name__} has no op {name}; {hint}")
    op = getattr(module, name)
    valid = [
        key
        for key, parameter in inspect.signature(op).parameters.items()
        if key != "keys"  # paddle's: which inputs an op applies to, not how
        and parameter.kind not in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD)
    ]
    check_values(where, name, args, valid, image)
    for key in args:
        if key not in valid:
            hint = nearest(key, valid, "its arguments") if valid else "it takes none"
            raise UserError(f"{where} takes no argument '{key}'; {hint}")
    try:
        return op(**(adapt(name, args) if adapt else args))
    except Exception as error:  # each library words its own: show it, on one line
        given = ", ".join(f"{key}={value!r}" for key, value in args.items())
        raise UserError(
            f"{where}: {name}({given}) is refused: {first_line(error)}"
        ) from None


def check_kept(where: str, before: tuple, after: tuple) -> None:
    """Refuse an op that turned images of (shape, dtype name) `before` into `after`:
    evaluation sees the images as they are, so the model's input stays the data's.
    The words are the same on both twins: the dtype is named only when it changed."""
    if before == after:
        return
    was, now = (str(before[0]), str(after[0]))
    if before[1] != after[1]:
        was, now = f"{was} {before[1]}", f"{now} {after[1]}"
    raise UserError(
        f"{where} turns {was} images into {now} ones: ops must keep the size and the"
        " type (normalising follows the ops)"
    )


def first_line(error: Exception) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__
