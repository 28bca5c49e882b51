"""Several GPUs with no code change: train.py starts itself again under paddle's
launcher, one process per GPU. The run directory is made first, so all share it."""

import os
import sys

from .records.run_dir import open_run_dir
from .scaling.run import check_launch, gpu_ids, launched


def relaunch_on_devices(cfg) -> None:
    check_launch(cfg.trainer)  # strategy, nodes and devices, as doctor.py checks them
    if launched() or cfg.trainer.accelerator == "cpu":  # a worker, or one process
        return
    ids = gpu_ids(cfg.trainer.devices)
    if len(ids) <= 1:
        return
    open_run_dir(cfg)  # passed on to every worker through the environment
    launcher = [
        sys.executable,
        "-m",
        "paddle.distributed.launch",
        "--devices",
        ",".join(ids),
    ]
    os.execv(sys.executable, [*launcher, *sys.argv])
