"""Several GPUs with no code change: train.py starts itself again under paddle's
launcher, one process per GPU. The run directory is made first, so all share it."""

import os
import sys

import paddle

from .errors import UserError
from .records.run_dir import open_run_dir

LAUNCHED = "PADDLE_TRAINER_ID"  # set by paddle.distributed.launch in each worker


def gpu_ids(devices) -> list[str]:
    """The GPUs trainer.devices asks for: auto (all), N, -1 (all) or "0,1"."""
    count = (
        paddle.device.cuda.device_count()
        if paddle.device.is_compiled_with_cuda()
        else 0
    )
    if devices in ("auto", -1, "-1"):
        return [str(i) for i in range(count)]
    if isinstance(devices, int) or str(devices).isdigit():
        wanted = int(devices)
        if wanted > 1 and wanted > count:
            raise UserError(
                f"trainer.devices={devices}: this machine has {count} GPU(s) paddle can"
                f" use; use trainer.devices={max(count, 1)} or auto"
            )
        return [str(i) for i in range(wanted)] if count else []
    return [d for d in str(devices).split(",") if d]


def relaunch_on_devices(cfg) -> None:
    devices = cfg.trainer.devices
    if os.environ.get(LAUNCHED) is not None:
        return
    if cfg.trainer.accelerator == "cpu":
        if str(devices) not in ("auto", "1"):
            raise UserError(
                f"trainer.devices={devices}: paddle trains on one CPU process;"
                " use trainer.devices=1 or auto"
            )
        return
    ids = gpu_ids(devices)
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
