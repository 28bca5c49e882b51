"""Multi-stage recipes: an experiment's `stages:`, run in order by one command.

    python train.py experiment=finetune

A series is a folder, <output_dir>/<date>_<time>_<experiment>/, holding series.json (the
config the series was started with) and one normal run directory per stage,
<index>-<name>/ (config.yaml, record.json with its "stage", checkpoints/, ...). A stage's
config is the experiment's with the stage's keys on top (then env= and the command line,
which win). Stage n starts from the best checkpoint of stage n-1 as
model.pretrained=<that checkpoint>: its weights only, with a new optimizer and schedule.

The same command again continues the latest unfinished series started with the same
config: finished stages are skipped, and an interrupted stage resumes from its last
checkpoint in its own directory. Once every stage has finished, it starts a new series.
"""

import json
import sys
from contextlib import nullcontext as fresh_names
from datetime import datetime
from pathlib import Path

from omegaconf import DictConfig, OmegaConf

from .errors import UserError
from .records.run_dir import read_record, write_json

SERIES = "series.json"
DONE = {"finished": True}


def run_stages(cfg: DictConfig, stage_config) -> list[Path]:
    """Train each stage of `cfg.stages` in turn; `stage_config(i)`: the composed config
    of stage i (from 0). Returns the stages' run directories."""
    from .training import train  # the backend loads only now

    whole = json.loads(json.dumps(OmegaConf.to_container(cfg, resolve=True)))
    series = latest_unfinished(Path(cfg.output_dir), whole) or new_series(cfg, whole)
    names, start, runs = [stage.name for stage in cfg.stages], None, []
    for index, name in enumerate(names, 1):
        stage = {"name": name, "index": index, "of": len(names), "from": start}
        keys = {"output_dir": str(series), "stage": stage, "stages": None}
        if start:
            keys["model"] = {"pretrained": start}
        run = latest_attempt(series, index, name)
        if read_record(run).get("status") == "finished":
            print(f"stage {index}/{len(names)} {name}: done in {run}", file=sys.stderr)
        else:
            keys["ckpt_path"] = last_checkpoint(run)
            print(f"stage {index}/{len(names)} {name}", file=sys.stderr)
            try:
                with fresh_names():
                    run, _ = train(OmegaConf.merge(stage_config(index - 1), keys))
            except SystemExit as stop:
                if stop.code in (130, 143):  # SIGINT, SIGTERM: say how to go on
                    again = f"rerun the same command to continue {series}"
                    print(again, file=sys.stderr)
                raise
        runs.append(run)
        start = best_checkpoint(run, name)
    write_json(series / SERIES, json.loads((series / SERIES).read_text()) | DONE)
    return runs


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
