"""Cross-field rules: model, backend, task, dataset and features must fit each other."""

import difflib
from typing import Any, get_args

from .catalog import Catalog, Task


def quoted(word: str) -> str:
    """A name the user gave, quoted for a message and cut short: it may be anything."""
    return repr(word if len(word) <= 40 else word[:37] + "...")


def close_names(word: str, options) -> list[str]:
    return difflib.get_close_matches(word, list(options), n=2, cutoff=0.6)


def closest(word: str, options) -> str:
    """' Did you mean x or y?' for the names closest to `word`, or ''."""
    close = close_names(word, options)
    return f" Did you mean {' or '.join(close)}?" if close else ""


def task_defaults(raw: Any, catalog: Catalog) -> Any:
    """A spec without a model or dataset gets its task's defaults (a pair that trains
    offline); a task without models yet is refused here, once."""
    if not isinstance(raw, dict) or (raw.get("model") and raw.get("data")):
        return raw
    task = raw.get("task", "classification")
    if not isinstance(task, str) or task not in get_args(Task):
        return raw  # the task field says what is wrong with it
    if task not in catalog.defaults:
        ready = ", ".join(catalog.defaults)
        raise ValueError(
            f"task: '{task}' has no models in this onefit yet; tasks with models: {ready}"
        )
    model, data = catalog.defaults[task]
    given = {
        k: v for k, v in raw.items() if k not in ("model", "data") or v is not None
    }
    return {"model": model, "data": data} | given


def check_model(name: str, earlier: dict[str, Any], catalog: Catalog) -> str:
    entry = catalog.models.get(name)
    if entry is None:
        raise ValueError(
            f"unknown model {quoted(name)}.{closest(name, catalog.models)} See: gen list models"
        )
    backend, task = earlier.get("backend"), earlier.get("task")
    doing = [e for e in catalog.models.values() if task in e.tasks]
    if backend and doing and all(backend not in e.backends for e in doing):
        where = sorted({b for e in doing for b in e.backends})
        raise ValueError(
            f"task '{task}' is {' and '.join(where).title()} only: no {backend} model"
            f" does it yet; use backend: {where[0]}"
        )
    if backend and backend not in entry.backends:
        others = [
            m
            for m, e in catalog.models.items()
            if backend in e.backends and (not task or task in e.tasks)
        ]
        what = f"Models for {task} on {backend}" if task else f"Models on {backend}"
        raise ValueError(
            f"'{name}' is not available on the {backend} backend (only on "
            f"{', '.join(entry.backends)}). {what}: {', '.join(others)}"
        )
    if task and task not in entry.tasks:
        doing = [m for m, e in catalog.models.items() if task in e.tasks]
        raise ValueError(
            f"model '{name}' does not do {task}; it does {', '.join(entry.tasks)}."
            f" Models for {task}: {', '.join(doing) or 'none yet'}"
        )
    return name


def check_data(name: str, earlier: dict[str, Any], catalog: Catalog) -> str:
    entry = catalog.datasets.get(name)
    if entry is None:
        raise ValueError(
            f"unknown dataset {quoted(name)}.{closest(name, catalog.datasets)} See: gen list data"
        )
    backend, task = earlier.get("backend"), earlier.get("task")
    if task and task not in entry.tasks:
        fitting = [d for d, e in catalog.datasets.items() if task in e.tasks]
        raise ValueError(
            f"dataset '{name}' is not for {task}; it is for {', '.join(entry.tasks)}."
            f" Datasets for {task}: {', '.join(fitting) or 'none yet'}"
        )
    if backend and backend not in entry.backends:
        raise ValueError(f"dataset '{name}' is not available on the {backend} backend")
    return name


def check_features(
    names: list[str], earlier: dict[str, Any], catalog: Catalog
) -> list[str]:
    backend, task = earlier.get("backend"), earlier.get("task")
    for name in names:
        entry = catalog.features.get(name)
        if entry is None:
            known = ", ".join(catalog.features) or "none yet"
            raise ValueError(
                f"unknown feature {quoted(name)}.{closest(name, catalog.features)} Known: {known}"
            )
        if backend and backend not in entry.backends:
            raise ValueError(
                f"feature '{name}' is not available on the {backend} backend"
            )
        if task and task not in entry.tasks:
            raise ValueError(
                f"feature '{name}' is for {', '.join(entry.tasks)}, not {task}"
                " (gen list features)"
            )
    if len(set(names)) != len(names):
        raise ValueError("a feature is listed twice")
    for name in names:
        for needed in catalog.features[name].needs:
            if needed not in names:
                raise ValueError(
                    f"feature '{name}' needs '{needed}': add --with {needed}"
                    f" (or '{needed}' to features:)"
                )
    return sorted(
        names, key=list(catalog.features).index
    )  # one order in every answers file
