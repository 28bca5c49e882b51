"""`runs.py diff A B`: the config keys and final metrics in which two runs differ."""

from ..config.where_and_how import flat
from .run_dirs import Run

# Keys that differ between any two runs without making them different experiments.
INCIDENTAL = ("ckpt_path",)


def config_differences(a: Run, b: Run) -> dict[str, tuple]:
    first, second = flat(a.config), flat(b.config)
    keys = sorted(set(first) | set(second))
    return {
        key: (first.get(key, "(absent)"), second.get(key, "(absent)"))
        for key in keys
        if first.get(key) != second.get(key) and key not in INCIDENTAL
    }


def diff(a: Run, b: Run) -> str:
    """The differences as text: only what differs."""
    lines = [f"A: {a.id}", f"B: {b.id}", "config:"]
    config = config_differences(a, b)
    lines += [f"  {key}: {old} -> {new}" for key, (old, new) in config.items()]
    if not config:
        lines.append("  (the same)")
    lines.append("metrics:")
    shown = 0
    for key in sorted(set(a.metrics) | set(b.metrics)):
        old, new = a.metrics.get(key), b.metrics.get(key)
        if old == new:
            continue
        shown += 1
        change = f"  ({new - old:+.4g})" if None not in (old, new) else ""
        lines.append(f"  {key}: {fmt(old)} -> {fmt(new)}{change}")
    if not shown:
        lines.append("  (the same)")
    return "\n".join(lines)


def fmt(value) -> str:
    return "(absent)" if value is None else f"{value:.4g}"
