"""`gen list`: the catalog as tables, with a column per backend."""

from .catalog import CATALOG
from .schemas.catalog import BACKENDS, Entry


def table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    return "\n".join(lines)


def marks(entry: Entry) -> list[str]:
    return ["yes" if backend in entry.backends else "-" for backend in BACKENDS]


def for_task(entries, task: str | None) -> list:
    return [e for e in entries if task is None or task in e.tasks]


def list_models(task: str | None = None) -> str:
    rows = [["model", "task", *BACKENDS, "params", "recipe", "description"]]
    for m in for_task(CATALOG.models.values(), task):
        recipe = f"{m.optimizer}+{m.scheduler}"
        row = [m.name, ",".join(m.tasks), *marks(m), f"{m.parameters_m:g}M", recipe]
        rows.append([*row, m.description])
    return table(rows) if len(rows) > 1 else f"No models for {task} yet."


def list_data(task: str | None = None) -> str:
    columns = ["images", "shape", "classes", "download", "recipe", "description"]
    rows = [["data", "task", *BACKENDS, *columns]]
    for d in for_task(CATALOG.datasets.values(), task):
        shape = "x".join(map(str, d.shape)) if d.shape else "any"
        classes = str(d.classes) if d.classes else "yours"
        download = d.download or "none"
        recipe = f"{d.epochs_for(task) if task else d.epochs} epochs"
        if d.task_epochs and not task:
            recipe += f" ({', '.join(f'{t} {n}' for t, n in d.task_epochs)})"
        recipe += f", batch {d.batch_size}"
        row = [d.name, ",".join(d.tasks), *marks(d), d.images, shape, classes]
        row += [download, recipe]
        rows.append([*row, d.description])
    return table(rows) if len(rows) > 1 else f"No datasets for {task} yet."


def list_features() -> str:
    if not CATALOG.features:
        return (
            "No optional features yet. They are chosen with --with NAME or `features:`."
        )
    rows = [["feature", *BACKENDS, "needs", "adds", "description"]]
    for f in CATALOG.features.values():
        needs, adds = ", ".join(f.needs) or "-", ", ".join(f.requires) or "-"
        rows.append([f.name, *marks(f), needs, adds, f.description])
    return table(rows)
