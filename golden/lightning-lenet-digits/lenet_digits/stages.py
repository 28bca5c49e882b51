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
import os
import sys
from contextlib import nullcontext as fresh_names
from pathlib import Path

from omegaconf import DictConfig, OmegaConf

from .records.run_dir import read_record
from .series import (
    best_checkpoint,
    find_or_begin,
    finish,
    last_checkpoint,
    latest_attempt,
    wait_for_record,
)

# torchrun's store, read before a stage moves MASTER_PORT
TORCHRUN_PORT = os.environ.get("MASTER_PORT")


def run_stages(cfg: DictConfig, stage_config) -> list[Path]:
    """Train each stage of `cfg.stages` in turn; `stage_config(i)`: the composed config
    of stage i (from 0). Returns the stages' run directories."""
    from .training import train  # the backend loads only now

    whole = json.loads(json.dumps(OmegaConf.to_container(cfg, resolve=True)))
    series = find_or_begin(cfg, whole)
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
                meet_afresh_under_torchrun(index)
                with fresh_names():
                    run, _ = train(OmegaConf.merge(stage_config(index - 1), keys))
            except SystemExit as stop:
                if stop.code in (130, 143):  # SIGINT, SIGTERM: say how to go on
                    again = f"rerun the same command to continue {series}"
                    print(again, file=sys.stderr)
                raise
        run = wait_for_record(latest_attempt(series, index, name))  # rank 0's folder
        runs.append(run)
        start = best_checkpoint(run, name)
    finish(series)
    return runs


def meet_afresh_under_torchrun(index: int) -> None:
    """torchrun's store keeps the addresses of the process group the stage before left:
    each later stage's group meets at a port of its own, served by rank 0."""
    if index > 1 and os.environ.get("TORCHELASTIC_RUN_ID") and TORCHRUN_PORT:
        os.environ["MASTER_PORT"] = str(int(TORCHRUN_PORT) + index - 1)
        os.environ["TORCHELASTIC_USE_AGENT_STORE"] = "False"
