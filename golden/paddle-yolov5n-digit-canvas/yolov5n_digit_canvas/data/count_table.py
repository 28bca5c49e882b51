"""check_data.py's report: a row per class, a column per split, a total, then warnings."""

from ..text_width import padded, shown_width


def report_lines(found: dict) -> list[str]:
    """`found`: {"counts": {split: {class: n}}, "warnings": [...]} (data/checks.py, or
    data/dense_checks.py in segmentation and detection projects)."""
    counts = found["counts"]
    names = list(counts["train"])
    width = max(shown_width(name) for name in [*names, "class"])
    lines = ["  ".join([padded("class", width), *(f"{s:>8}" for s in counts)])]
    for name in names:
        cells = (f"{counts[s].get(name, 0):>8}" for s in counts)
        lines.append("  ".join([padded(name, width), *cells]))
    totals = (f"{sum(c.values()):>8}" for c in counts.values())
    lines.append("  ".join([padded("total", width), *totals]))
    return lines + [f"warning: {w}" for w in found["warnings"]]
