"""A series' folder: <output_dir>/<date>_<time>_<experiment>/ with series.json (the config
the series was begun with, its stages, whether it finished) and one run directory per
stage, <index>-<name>/, or <index>-<name>-<N> for a stage begun again. Under DDP every
process runs the series and rank 0 alone writes: the others wait for what it writes.
"""

import json
import time
from datetime import datetime
from functools import partial
from pathlib import Path

from omegaconf import DictConfig

from .errors import UserError
from .records.run_dir import read_record, write_json
from .scaling.launchers import main_process

SERIES = "series.json"


def find_or_begin(cfg: DictConfig, whole: dict) -> Path:
    """The latest unfinished series begun with this config, or a new one (rank 0's:
    under torchrun or SLURM every process starts at once)."""
    out = Path(cfg.output_dir)
    if main_process():
        return latest_unfinished(out, whole) or new_series(cfg, whole)
    return wait_until(
        partial(latest_unfinished, out, whole), f"began no series in {out}"
    )


def finish(series: Path) -> None:
    if main_process():
        finished = json.loads((series / SERIES).read_text()) | {"finished": True}
        write_json(series / SERIES, finished)


def wait_until(ready, what: str, seconds: float = 600):
    """What rank 0 writes, for the other processes (no process group lives between
    stages to wait on)."""
    waited = 0.0
    while not (found := ready()):
        if waited > seconds:
            raise RuntimeError(f"rank 0 {what} in {seconds:.0f} s")
        time.sleep(0.2)
        waited += 0.2
    return found


def wait_for_record(run: Path) -> Path:
    """`run`, once rank 0 has written its record (with the best checkpoint) at its end."""
    if not main_process():
        wait_until(partial(ended, run), f"did not finish {run}")
    return run


def ended(run: Path) -> bool:
    return read_record(run).get("status", "running") != "running"


def latest_unfinished(output_dir: Path, whole: dict) -> Path | None:
    """The latest series in `output_dir` begun with this config and not finished."""
    for path in sorted(output_dir.glob(f"*/{SERIES}"), reverse=True):
        try:
            begun = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if begun.get("config") == whole and not begun.get("finished"):
            return path.parent
    return None


def new_series(cfg: DictConfig, whole: dict) -> Path:
    """<output_dir>/<date>_<time>_<experiment>[-N], with series.json in it."""
    stamp = datetime.now().strftime("%Y-%m-%d_%H-%M-%S")
    base = Path(cfg.output_dir) / f"{stamp}_{cfg.experiment or 'stages'}"
    base.parent.mkdir(parents=True, exist_ok=True)
    for n in range(1, 1000):
        path = base if n == 1 else base.with_name(f"{base.name}-{n}")
        try:
            path.mkdir()  # atomic: two series never share a folder
        except FileExistsError:
            continue
        names = [stage.name for stage in cfg.stages]
        write_json(path / SERIES, {"config": whole, "stages": names, "finished": False})
        return path
    raise RuntimeError(f"could not create a series folder next to {base}")


def latest_attempt(series: Path, index: int, name: str) -> Path:
    """<index>-<name>, or its latest retry <index>-<name>-<N> (a stage that stopped
    before keeping a checkpoint is begun again beside it)."""
    retries = [
        path
        for path in series.glob(f"{index}-{name}-*")
        if path.name.rpartition("-")[2].isdigit()
    ]
    number = lambda path: int(path.name.rpartition("-")[2])  # noqa: E731
    return max(retries, key=number, default=series / f"{index}-{name}")


def last_checkpoint(run: Path) -> str | None:
    """The checkpoint an interrupted stage resumes from, if it kept one."""
    found = sorted((run / "checkpoints").glob("last.*"))
    found = [path for path in found if path.suffix in (".ckpt", ".pdparams")]
    return str(found[0]) if found else None


def best_checkpoint(run: Path, name: str) -> str:
    """What the next stage starts from: this stage's best checkpoint."""
    best = read_record(run).get("best_checkpoint")
    if not best or not Path(best).is_file():
        raise UserError(
            f"stage {name} kept no best checkpoint in {run}/checkpoints: is"
            " checkpoint.monitor a metric it logs?"
        )
    return best
