"""The runs under output_dir: every directory holding a record.json, at any depth
(tune.py's trials and a recipe's stages sit in folders of their own)."""

import json
from dataclasses import dataclass, field
from pathlib import Path

from omegaconf import OmegaConf

from ..errors import UserError


@dataclass
class Run:
    path: Path
    id: str  # the path under output_dir: what runs.py prints and accepts
    record: dict = field(default_factory=dict)
    config: dict = field(default_factory=dict)
    metrics: dict = field(default_factory=dict)

    @property
    def started(self) -> str:
        return self.record.get("started", "")


def read_json(path: Path) -> dict:
    """A JSON file's content, or {} where it is missing or cut short (a killed run)."""
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def read_run(path: Path, root: Path) -> Run:
    try:
        config = OmegaConf.to_container(OmegaConf.load(path / "config.yaml"))
    except (OSError, ValueError):  # omegaconf's YAML errors are ValueErrors
        config = {}
    run_id = (
        path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    )
    return Run(
        path=path,
        id=run_id,
        record=read_json(path / "record.json"),
        config=config,
        metrics=read_json(path / "metrics.json"),
    )


def find_runs(root: Path) -> list[Run]:
    """Every run under `root`, oldest first."""
    if not root.is_dir():
        raise UserError(
            f"{root}: no such folder of runs; train first (python train.py) or give"
            " --runs DIR (output_dir of the runs)"
        )
    found = [read_run(record.parent, root) for record in root.rglob("record.json")]
    return sorted(found, key=lambda run: (run.started, run.id))


def pick_run(root: Path, name: str) -> Run:
    """The run `name` names: a run directory's path, or a unique part of its id (its
    beginning or its end, e.g. its time stamp or a trial's number)."""
    path = Path(name)
    if (path / "record.json").is_file():
        return read_run(path.resolve(), root.resolve())
    runs = find_runs(root)
    exact = [run for run in runs if name in (run.id, run.path.name)]
    matches = exact or [
        run
        for run in runs
        if run.id.startswith(name)
        or run.id.endswith(name)
        or run.path.name.startswith(name)
    ]
    if len(matches) == 1:
        return matches[0]
    shown = ", ".join(run.id for run in (matches or runs)[-5:]) or "none"
    if matches:
        raise UserError(
            f"run {name!r} matches {len(matches)} runs under {root} ({shown}): give"
            " more of its name"
        )
    raise UserError(
        f"run {name!r}: no run under {root} is called so (the latest: {shown}); see"
        " python runs.py list"
    )
