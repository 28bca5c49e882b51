"""`runs.py seeds`: runs that differ only by their seed, grouped, with each final
metric's mean ± standard deviation over the group."""

import statistics

from ..config.where_and_how import experiment_keys
from .run_dirs import Run


def seed_groups(runs: list[Run]) -> list[list[Run]]:
    """Finished runs grouped by their whole config but the seed (and where and how
    they ran: config/where_and_how.py): groups of two or more."""
    groups: dict[str, list[Run]] = {}
    for run in runs:
        if run.record.get("status") != "finished":
            continue
        kept = experiment_keys(run.config, also=("seed",))
        key = repr(sorted((k, repr(v)) for k, v in kept.items()))
        groups.setdefault(key, []).append(run)
    return [group for group in groups.values() if len(group) > 1]


def aggregate(group: list[Run]) -> dict[str, tuple[float, float, int]]:
    """{metric: (mean, standard deviation, runs)} over the group's final metrics."""
    out = {}
    for key in sorted({key for run in group for key in run.metrics}):
        values = [run.metrics[key] for run in group if key in run.metrics]
        spread = statistics.stdev(values) if len(values) > 1 else 0.0
        out[key] = (statistics.fmean(values), spread, len(values))
    return out


def seeds_text(runs: list[Run]) -> str:
    groups = seed_groups(runs)
    if not groups:
        return "no finished runs differ only by their seed (python train.py seed=N)"
    parts = []
    for number, group in enumerate(groups, 1):
        seeds = ", ".join(str(run.config.get("seed")) for run in group)
        lines = [f"group {number}: {len(group)} runs, seeds {seeds}"]
        lines += [f"  {run.id}" for run in group]
        lines += [
            f"  {key:<24} {mean:.4f} ± {spread:.4f}  (n={count})"
            for key, (mean, spread, count) in aggregate(group).items()
        ]
        parts.append("\n".join(lines))
    return "\n\n".join(parts)
