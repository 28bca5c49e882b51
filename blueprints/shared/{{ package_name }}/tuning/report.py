"""A search's report.html: the best trial, every trial, the plots, the search's settings;
self-contained as a run's report is (reporting/page.py), rewritten with the summary."""

import html
from pathlib import Path

from ..reporting.page import document, inline, rows


def search_page(summary: dict, folder: Path, settings_yaml: str) -> str:
    """The page of `summary` (summary.json's content); its plots read from `folder`."""
    metric, best = summary["metric"], summary["best"]
    title = f"Search {summary['study']}: {summary['direction']} {metric}"
    overview = [(state, count) for state, count in summary["states"].items() if count]
    if best:
        overview = [
            ("best trial", best["number"]),
            (metric, f"{best['value']:.4f}"),
            *((f"best {key}", value) for key, value in best["params"].items()),
            ("best run", best["run_dir"]),
            *overview,
        ]
    plots = [
        inline(name, name, (folder / "plots" / f"{name}.png").read_bytes())
        for name in summary["plots"]
    ]
    return document(
        title,
        [
            f"<h1>{html.escape(title)}</h1>",
            rows(overview) if overview else "<p>No trial yet.</p>",
            "<h2>Trials</h2>",
            table(summary["trials"], metric),
            "<h2>Plots</h2>",
            f'<div class="pictures">{"".join(plots)}</div>',
            "<h2>Search</h2>",
            f"<pre>{html.escape(settings_yaml)}</pre>",
        ],
    )


def table(trials: list[dict], metric: str) -> str:
    """summary.py's trials table as HTML."""
    header, body = trials_table(trials, metric)
    lines = ["<table><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in header)]
    for row in body:
        lines.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row))
    return "</tr>".join(lines) + "</tr></table>"


def trials_table(trials: list[dict], metric: str) -> tuple[list[str], list[list[str]]]:
    """The trials as a table (summary.md's, report.html's): a header, a row of text
    cells per trial (its state, value, parameters, time, run and note)."""
    names = sorted({key for trial in trials for key in trial["params"]})
    header = ["trial", "state", metric, *names, "seconds", "run", "note"]
    rows = []
    for trial in trials:
        cells = [trial["number"], trial["state"], trial["value"]]
        cells += [trial["params"].get(name) for name in names]
        run = trial["run_dir"] and Path(trial["run_dir"]).name
        rows.append([cell(c) for c in [*cells, trial["seconds"], run, trial["note"]]])
    return header, rows


def cell(value) -> str:
    """A value as the tables show it: floats to 4 digits, nothing for None."""
    if value is None:
        return ""
    text = f"{value:.4g}" if isinstance(value, float) else str(value)
    return text.replace("\n", " ")
