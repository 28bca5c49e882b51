"""The directory each run writes: resolved config, record, metrics, checkpoints, logs.

A new run gets a new directory; a resumed run (ckpt_path= a checkpoint of a run in this
project) continues in its own. Every file here is written whole or not at all.
"""

import atexit
import json
import os
import shutil
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from omegaconf import OmegaConf

from ..scaling.launchers import external_worker

# DDP workers run train.py again (Lightning's launcher, paddle.distributed.launch): they
# inherit "<pid>:<dir>" and write into the directory of the process <pid> made, which
# itself makes a new one for each run, even for two runs in one process.
INHERITED = "RUN_DIR_OF_RANK_0"
# Set in a worker by its launcher: only a worker whose parent made the directory shares
# it, never a train.py that a script or a notebook starts after a run of its own.
LAUNCHED_WORKER = ("LOCAL_RANK", "PADDLE_TRAINER_ID")


def open_run_dir(cfg) -> Path:
    """The run's directory, with the resolved config saved in it."""
    maker, _, inherited = os.environ.get(INHERITED, "").partition(":")
    worker = any(name in os.environ for name in LAUNCHED_WORKER)
    if inherited and worker and maker == str(os.getppid()):
        return Path(inherited)
    if external_worker():  # torchrun's, SLURM's rank > 0: Lightning broadcasts rank
        # 0's checkpoint folder, and only rank 0 writes records; a scratch folder for the rest
        scratch = tempfile.mkdtemp(prefix="worker-of-run-")
        atexit.register(shutil.rmtree, scratch, ignore_errors=True)
        return Path(scratch)
    from .record import mark_killed_runs  # record.py imports this module

    path = resumed_run(cfg.ckpt_path) or create_run_dir(cfg)
    # Runs beside it found dead are marked killed (their trackers ended) before this
    # one's config is written: a resumed one by the config it ran with.
    mark_killed_runs(path.parent)
    for leftover in path.rglob("*.part*"):  # a killed write's half, when resumed
        leftover.unlink()
    # The experiment, for --config to rerun it whole; how it was resumed is in the record.
    experiment = OmegaConf.merge(cfg, {"ckpt_path": None})
    write_text(path / "config.yaml", OmegaConf.to_yaml(experiment, resolve=True))
    os.environ[INHERITED] = f"{os.getpid()}:{path}"
    return path


def resumed_run(ckpt_path: str | None) -> Path | None:
    """The run a checkpoint belongs to: <run>/checkpoints/last.* gives <run>."""
    run = Path(ckpt_path).parent.parent if ckpt_path else None
    return run if run and (run / "record.json").is_file() else None


def create_run_dir(cfg) -> Path:
    """runs/<date>_<time>_<model>_<data>[-N]: unique even for runs started in one second;
    a stage of a series (stages.py) is <series>/<index>-<stage>[-N]."""
    stamp = datetime.now().strftime("%Y-%m-%d_%H-%M-%S")
    name = f"{stamp}_{cfg.model.name}_{cfg.data.name}"
    if cfg.get("stage"):
        name = f"{cfg.stage.index}-{cfg.stage.name}"
    base = Path(cfg.output_dir) / name
    base.parent.mkdir(parents=True, exist_ok=True)
    for n in range(1, 1000):
        path = base if n == 1 else base.with_name(f"{base.name}-{n}")
        try:
            path.mkdir()  # atomic: two runs never get the same directory
        except FileExistsError:
            continue
        return path
    raise RuntimeError(f"could not create a run directory next to {base}")


def read_record(run_dir: Path) -> dict:
    """The record a resumed run left, or {} for a new run."""
    try:
        return json.loads((run_dir / "record.json").read_text())
    except (OSError, ValueError):
        return {}


def write_json(path: Path, content: dict) -> None:
    write_text(path, json.dumps(content, indent=2, sort_keys=True) + "\n")


def write_text(path: Path, text: str) -> None:
    """Write whole or not at all: a crash or a full disk never leaves half a file."""
    part = path.with_name(path.name + ".part")
    try:
        part.write_text(text)
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)


def write_bytes(path: Path, content: bytes) -> None:
    """write_text's twin for bytes (pictures)."""
    part = path.with_name(path.name + ".part")
    try:
        part.write_bytes(content)
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)


def command_line() -> str:
    return " ".join([Path(sys.argv[0]).name, *sys.argv[1:]])
