"""The metrics a run logged as it went: metrics.csv (one row per logged step, a column
per metric, empty where that metric was not logged), read into a series per metric."""

import csv
import math
from pathlib import Path


def read_curves(run_dir: Path) -> dict[str, list[tuple[int, int, float]]]:
    """{metric: [(epoch, step, value), ...]} in the order they were logged; {} where
    the run kept no CSV (loggers without csv)."""
    curves: dict[str, list[tuple[int, int, float]]] = {}
    try:
        with open(run_dir / "metrics.csv", newline="") as file:
            rows = list(csv.DictReader(file))
    except OSError:
        return curves
    epoch = 0
    for row in rows:
        # Lightning leaves the epoch empty on the learning rate's rows
        epoch = int(row.get("epoch") or epoch)
        step = int(row.get("step") or 0)
        for name, text in row.items():
            if name not in ("epoch", "step") and text not in ("", None):
                value = float(text)
                if math.isfinite(value):
                    curves.setdefault(name, []).append((epoch, step, value))
    return curves


def per_epoch(series: list[tuple[int, int, float]]) -> dict[int, float]:
    """The last value logged in each epoch: {epoch: value}."""
    return {epoch: value for epoch, _, value in series}


def best_value(run, metric: str, mode: str) -> float | None:
    """The best value `metric` reached in any epoch, or its final value in metrics.json
    where the run kept no CSV; None where it never logged it."""
    values = [value for _, _, value in read_curves(run.path).get(metric, [])]
    if not values and metric in run.metrics:
        values = [run.metrics[metric]]
    if not values:
        return None
    return max(values) if mode == "max" else min(values)
