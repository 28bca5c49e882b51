"""The directory each run writes: resolved config, record, metrics, checkpoints, logs."""

import json
import os
import sys
from datetime import datetime
from pathlib import Path

from omegaconf import OmegaConf

# Lightning starts DDP workers by running train.py again; they inherit this variable and
# write into the directory that rank 0 made instead of making their own.
INHERITED = "RUN_DIR_OF_RANK_0"


def create_run_dir(cfg) -> Path:
    """runs/<date>_<time>_<model>_<data>[-N]: unique even for runs started in one second."""
    if os.environ.get(INHERITED):
        return Path(os.environ[INHERITED])
    stamp = datetime.now().strftime("%Y-%m-%d_%H-%M-%S")
    base = Path(cfg.output_dir) / f"{stamp}_{cfg.model.name}_{cfg.data.name}"
    base.parent.mkdir(parents=True, exist_ok=True)
    for n in range(1, 1000):
        path = base if n == 1 else base.with_name(f"{base.name}-{n}")
        try:
            path.mkdir()  # atomic: two runs never get the same directory
        except FileExistsError:
            continue
        OmegaConf.save(cfg, path / "config.yaml", resolve=True)
        os.environ[INHERITED] = str(path)
        return path
    raise RuntimeError(f"could not create a run directory next to {base}")


def write_json(path: Path, content: dict) -> None:
    """Write whole or not at all: a crash never leaves half a JSON file."""
    part = path.with_name(path.name + ".part")
    part.write_text(json.dumps(content, indent=2, sort_keys=True) + "\n")
    os.replace(part, path)


def command_line() -> str:
    return " ".join([Path(sys.argv[0]).name, *sys.argv[1:]])
