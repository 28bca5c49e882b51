"""The values data.augment's ops take, the same on both twins: for the ops that
torchvision.transforms.v2 and paddle.vision.transforms both have, the values both can
use and read alike. Anything else (nan, inf, 1e308, a string for a number, a list of
the wrong length, a crop larger than the image) is refused here, in one line naming
data.augment[i].Op.argument, the value and what it must be, before either library
sees it: each library refuses, ignores or crashes on its own subset of them, late.
Where a library sets no bound, one keeps the draws finite in float32 and the image an
image (shear within 60 degrees: tan grows without end towards 90; a zoom 0.01..10).
"""

from ..errors import UserError
from .value_tests import choice, either, is_finite, listed, number, span

# What the images' size and channels allow.
SIDE = lambda v, c, s: type(v) is int and 0 <= v < s  # noqa: E731
SIZE = lambda v, c, s: type(v) is int and v == s  # noqa: E731
INSIDE = lambda v, c, s: number(0, s)(v, c, s)  # noqa: E731
CHANNELS = lambda v, c, s: type(v) is int and v == c  # noqa: E731
PIXEL, SHARE, FLAG = number(0, 255), number(0, 1), lambda v, c, s: type(v) is bool
MODES = ("constant", "edge", "reflect")  # paddle pads no tensor symmetric
PER_CHANNEL = lambda v, c, s: listed((c,), PIXEL)(v, c, s)  # noqa: E731
JITTER = (  # b: a factor drawn from [max(0, 1 - b), 1 + b], or the [low, high] given
    either(number(0, 10), span(0, 11)),
    "a number from 0 to 10 (0: unchanged), or factors [low, high] with 0 <= low <="
    " high <= 11",
)
CONTRAST = (number(0, 10), "a number from 0 to 10 (0: unchanged); paddle takes no list")
ZOOM = (span(0.01, 10), "[low, high] with 0.01 <= low <= high <= 10")
RESAMPLE = (choice("nearest", "bilinear", "bicubic"), "nearest, bilinear or bicubic")
# Each rule: (test(value, channels, size), what the value must be: {size}, {channels}).
BY_NAME = {  # an argument means the same in every op of both twins that takes it...
    **dict.fromkeys(["p", "prob"], (SHARE, "a probability from 0 to 1")),
    "size": (
        either(SIZE, listed((2,), SIZE)),
        "{size} or [{size}, {size}]: the images' size, which the ops keep",
    ),
    "padding": (
        either(SIDE, listed((2, 4), SIDE)),
        "a whole number of pixels from 0 to {last}, or a list of 2 or 4 of them",
    ),
    "padding_mode": (choice(*MODES), "constant, edge or reflect"),
    "fill": (PIXEL, "a pixel value from 0 to 255"),  # paddle pads with one value
    "value": (
        either(choice("random"), PIXEL, PER_CHANNEL),
        "a pixel value from 0 to 255, {channels} of them (one per channel) or random",
    ),
    "interpolation": (choice("nearest", "bilinear"), "nearest or bilinear"),
    "degrees": (
        either(number(0, 360), span(-360, 360)),
        "a number from 0 to 360, or [low, high] with -360 <= low <= high <= 360",
    ),
    "translate": (listed((2,), SHARE), "[x, y], each a share of the size from 0 to 1"),
    "shear": (
        either(number(0, 60), span(-60, 60), span(-60, 60, 2)),
        "a number from 0 to 60, or [low, high] or [low, high, low, high] within -60..60",
    ),
    "center": (
        either(lambda v, c, s: v is None, listed((2,), INSIDE)),
        "[x, y] within the image, each from 0 to {size}, or null (the middle)",
    ),
    "scale": (span(0, 1), "[low, high] with 0 <= low <= high <= 1"),
    "ratio": (span(0.01, 100), "[low, high] with 0.01 <= low <= high <= 100"),
    "distortion_scale": (SHARE, "a number from 0 to 1"),
    **dict.fromkeys(["brightness", "saturation"], JITTER),
    "contrast": CONTRAST,
    "hue": (
        either(number(0, 0.5), span(-0.5, 0.5)),
        "a number from 0 to 0.5 (0: unchanged), or [low, high] within -0.5..0.5",
    ),
    "num_output_channels": (CHANNELS, "{channels}: the images' channels"),
    **dict.fromkeys(["pad_if_needed", "inplace"], (FLAG, "true or false")),
    "expand": (
        lambda v, c, s: v is False,
        "false: true grows the images, kept in size",
    ),
}
WARP_FILL = (  # what a warp leaves uncovered: paddle takes a value per channel there
    either(PIXEL, PER_CHANNEL),
    "a pixel value from 0 to 255, or {channels} of them (one per channel)",
)
BY_OP = {  # ...but these
    **{(op, "fill"): WARP_FILL for op in ("RandomAffine", "RandomPerspective")},
    ("RandomRotation", "fill"): WARP_FILL,
    ("RandomAffine", "scale"): ZOOM,
    ("RandomResizedCrop", "interpolation"): RESAMPLE,
    ("Resize", "interpolation"): RESAMPLE,
}
SHARED = {"CenterCrop", "ColorJitter", "Grayscale", "Pad", "RandomAffine", "RandomCrop"}
SHARED |= {"RandomErasing", "RandomHorizontalFlip", "RandomVerticalFlip", "Resize"}
SHARED |= {"RandomPerspective", "RandomResizedCrop", "RandomRotation"}
FINITE = (lambda v, c, s: is_finite(v), "a finite number, or a list of them")


def rule(name: str, key: str, valid) -> tuple | None:
    """The rule of argument `key` of op `name`, or None where the name check decides.
    p (torchvision's) and prob (paddle's) are read before the names: a bad value of
    either is refused alike on both twins, and only then the other twin's name."""
    other = {"p": "prob", "prob": "p"}.get(key)
    if key not in valid and other not in valid:
        return None
    if name not in SHARED:
        return FINITE
    return BY_OP.get((name, key)) or BY_NAME.get(key, FINITE)


def check_values(where: str, name: str, args: dict, valid, image: tuple) -> None:
    """Refuse the first value of `args` that op `name` (arguments `valid`) cannot
    take on images of `image` (channels, size)."""
    channels, size = image
    for key, value in args.items():
        test, meaning = rule(name, key, valid) or (None, "")
        if test is not None and not test(value, channels, size):
            must = meaning.format(size=size, last=size - 1, channels=channels)
            path = where.replace(f" {name}", f".{name}", 1)
            raise UserError(f"{path}.{key}={value!r} is not allowed: must be {must}")
