"""Tests an argument's value must pass (op_rules.py's words for its table): each takes
the value, the images' channels and their size, and says whether the value fits."""

import math


def number(low: float, high: float):
    """A real number (not a bool) from low to high: nan and inf fail the bounds."""
    return lambda v, c, s: type(v) in (int, float) and low <= v <= high


def listed(lengths: tuple, test):
    """A list of one of `lengths`, each item passing `test`."""
    return lambda v, c, s: (
        type(v) in (list, tuple) and len(v) in lengths and all(test(x, c, s) for x in v)
    )


def span(low: float, high: float, count: int = 1):
    """`count` [low, high] pairs in one list, each in order (torch draws nothing from
    a reversed one), within the bounds."""
    pairs = listed((2 * count,), number(low, high))
    return lambda v, c, s: pairs(v, c, s) and v[0] <= v[1] and v[-2] <= v[-1]


def either(*tests):
    return lambda v, c, s: any(test(v, c, s) for test in tests)


def choice(*names: str):
    return lambda v, c, s: type(v) is str and v in names


def is_finite(value) -> bool:
    """No nan or inf anywhere in `value`: all an op of one backend alone is held to."""
    if type(value) in (list, tuple):
        return all(map(is_finite, value))
    return type(value) is not float or math.isfinite(value)
