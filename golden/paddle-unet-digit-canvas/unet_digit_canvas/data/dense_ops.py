"""data.augment of segmentation and detection: a preset's name or a list of ops, each
{Name: {argument: value}}, read and checked here (no torch, no paddle) for
data/dense_augment.py, which moves each image's mask or boxes with its pixels.

    Mosaic {p}                       the image and three others of its batch, one per
                                     quarter around a random centre (YOLO's mosaic)
    HorizontalFlip {p}               mirrored left to right
    ScaleTranslate {scale, translate, p}   zoomed about the centre by a factor drawn
                                     from scale [low, high], shifted by up to translate
                                     (a share of the size) along each axis
    ColorJitter {brightness, contrast, saturation, p}   each scaled by 1 +- its value

p is the chance that an image gets the op; the ops run in the order listed.
"""

import difflib
from collections.abc import Mapping
from typing import Any

from omegaconf import OmegaConf

from ..errors import UserError, did_you_mean

# Each op's arguments and the values it takes when the list leaves them out (YOLOv5's).
OPS: dict[str, dict[str, Any]] = {
    "Mosaic": {"p": 1.0},
    "HorizontalFlip": {"p": 0.5},
    "ScaleTranslate": {"scale": [0.5, 1.5], "translate": 0.1, "p": 1.0},
    "ColorJitter": {"brightness": 0.4, "contrast": 0.4, "saturation": 0.4, "p": 1.0},
}
JITTER = [{"ScaleTranslate": {}}, {"ColorJitter": {}}]
PRESETS: dict[str, list[dict]] = {
    "none": [],
    "jitter": JITTER,  # no flip: digits, text, anything a mirror changes the meaning of
    "jitter_flip": [{"HorizontalFlip": {}}, *JITTER],
    "mosaic": [{"Mosaic": {}}, {"HorizontalFlip": {}}, *JITTER],  # YOLOv5's recipe
}
EXAMPLE = "[{Mosaic: {p: 0.5}}, {ScaleTranslate: {scale: [0.8, 1.2]}}]"


def is_share(value) -> bool:
    return type(value) in (int, float) and 0 <= value <= 1


# Each argument's rule: (holds for the value, what the value must be).
RULES = {
    "p": (is_share, "must be a probability from 0 to 1"),
    "translate": (
        lambda v: is_share(v) and v <= 0.5,
        "must be from 0 to 0.5 (a share of the image size)",
    ),
    "scale": (  # bounded: numpy draws nothing up to inf, a zoom by 1e-300 is no image
        lambda v: isinstance(v, list)
        and len(v) == 2
        and all(type(x) in (int, float) for x in v)
        and 0.01 <= v[0] <= v[1] <= 10,
        "must be [low, high] with 0.01 <= low <= high <= 10, e.g. [0.5, 1.5]",
    ),
    "brightness": (is_share, "must be from 0 to 1 (0: unchanged)"),
    "contrast": (is_share, "must be from 0 to 1 (0: unchanged)"),
    "saturation": (is_share, "must be from 0 to 1 (0: unchanged)"),
}


def dense_ops(augment: Any) -> list[tuple[str, dict]]:
    """[(op name, all its arguments)] of data.augment, or a UserError naming the
    entry, the argument and the fix."""
    if OmegaConf.is_config(augment):
        augment = OmegaConf.to_container(augment, resolve=True)
    if isinstance(augment, str):
        if augment not in PRESETS:
            raise UserError(
                f"data.augment={augment} is no preset.{did_you_mean(augment, PRESETS)}"
                f" Presets: {', '.join(PRESETS)}; or give a list of ops like {EXAMPLE}"
            )
        where, augment = f"data.augment={augment}", PRESETS[augment]
    elif isinstance(augment, list):
        where = "data.augment"
    else:
        raise UserError(
            f"data.augment must be a preset ({', '.join(PRESETS)}) or a list of ops"
            f" like {EXAMPLE}, not {augment!r}"
        )
    return [read_op(f"{where}[{index}]", op) for index, op in enumerate(augment)]


def read_op(where: str, entry: Any) -> tuple[str, dict]:
    if not isinstance(entry, Mapping) or len(entry) != 1:
        raise UserError(
            f"{where} must map one op name to its arguments, like"
            f" {{HorizontalFlip: {{p: 0.5}}}}, not {entry!r}"
        )
    ((name, args),) = entry.items()
    if name not in OPS:
        close = difflib.get_close_matches(str(name), OPS, n=3, cutoff=0.5)
        hint = f"closest: {', '.join(close)}" if close else f"ops: {', '.join(OPS)}"
        raise UserError(f"{where}: there is no op {name}; {hint}")
    if not isinstance(args, Mapping | None):
        raise UserError(
            f"{where} {name}: its arguments must be a mapping like {{p: 0.5}}"
            f" ({{}} for the defaults), not {args!r}"
        )
    for key, value in (args or {}).items():
        if key not in OPS[name]:
            raise UserError(
                f"{where} {name} takes no argument '{key}'; its arguments:"
                f" {', '.join(OPS[name])}"
            )
        rule, meaning = RULES[key]
        if not rule(value):
            raise UserError(f"{where}.{name}.{key}={value!r} is not allowed: {meaning}")
    return name, OPS[name] | dict(args or {})
