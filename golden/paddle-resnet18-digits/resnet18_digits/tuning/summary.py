"""The search's summary, rewritten from the storage whenever a worker stops (and by
`python tune.py --summary`): summary.json (the best trial, every trial), summary.md
(the same as tables), the plots (plots.py) and report.html (report.py: all of it on
one self-contained page), in the search's folder."""

from pathlib import Path

import optuna
from omegaconf import OmegaConf
from optuna.trial import TrialState

from ..records.run_dir import write_json, write_text
from .plots import draw_plots
from .report import search_page, trials_table


def write_summary(study: optuna.Study, search) -> Path:
    """Write the summary files; return summary.md's path."""
    search.folder.mkdir(parents=True, exist_ok=True)
    trials = [row(trial) for trial in study.get_trials(deepcopy=False)]
    complete = [t for t in trials if t["state"] == "complete"]
    best = study.best_trial if complete else None
    summary = {
        "study": search.study,
        "metric": search.hpo.metric,
        "direction": search.hpo.direction,
        "best": best and row(best),
        "states": {s: sum(t["state"] == s for t in trials) for s in STATES},
        "trials": trials,
    }
    summary["plots"] = draw_plots(study, search.folder / "plots")
    write_json(search.folder / "summary.json", summary)
    write_text(search.folder / "summary.md", markdown(summary))
    settings = OmegaConf.to_yaml(search.hpo) + f"train.py: {' '.join(search.args)}\n"
    page = search_page(summary, search.folder, settings)
    write_text(search.folder / "report.html", page)
    return search.folder / "summary.md"


STATES = ("complete", "pruned", "fail", "running", "waiting")


def row(trial: optuna.trial.FrozenTrial) -> dict:
    """A trial as the summary shows it."""
    ended, started = trial.datetime_complete, trial.datetime_start
    attrs = trial.user_attrs
    return {
        "number": trial.number,
        "state": trial.state.name.lower(),
        "value": trial.value if trial.state == TrialState.COMPLETE else None,
        "params": trial.params,
        "seconds": round((ended - started).total_seconds(), 1) if ended else None,
        "run_dir": attrs.get("run_dir"),
        "worker": attrs.get("worker"),
        "note": attrs.get("error") or attrs.get("stopped") or pruned_at(trial),
    }


def pruned_at(trial) -> str | None:
    if trial.state != TrialState.PRUNED or not trial.intermediate_values:
        return None
    epoch = max(trial.intermediate_values)
    return f"pruned after epoch {epoch + 1}: {trial.intermediate_values[epoch]:.4f}"


def markdown(summary: dict) -> str:
    metric, best = summary["metric"], summary["best"]
    lines = [f"# Search `{summary['study']}`: {summary['direction']} {metric}", ""]
    if best:
        values = ", ".join(
            f"`{k}={v:.4g}`" if isinstance(v, float) else f"`{k}={v}`"
            for k, v in best["params"].items()
        )
        lines += [
            f"Best: trial {best['number']}, {metric} **{best['value']:.4f}**, {values}",
            f"(run: `{best['run_dir']}`).",
        ]
    else:
        lines.append("No trial has completed yet.")
    counts = ", ".join(f"{n} {state}" for state, n in summary["states"].items() if n)
    lines += ["", f"Trials: {counts}.", ""]
    header, rows = trials_table(summary["trials"], metric)
    lines += ["| " + " | ".join(header) + " |", "|---" * len(header) + "|"]
    for row in rows:  # a "|" in a note would end its cell
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in row) + " |")
    lines += ["", *(f"![{name}](plots/{name}.png)" for name in summary["plots"])]
    return "\n".join(lines) + "\n"
