"""The run's scale, settled before the loaders exist: the processes paddle's launcher
starts (checked first, by train.py and doctor.py alike), data.batch_size=auto, the
effective batch, the rate, and sync batch norm; then the speed settings, which depend on
the steps these make (speed/)."""

import paddle

from ..errors import UserError
from ..speed.apply import capability, speed_up
from ..trainer import gpu_available
from .batch_plan import copy_settled, cpu_batch, plan_batches
from .batch_search import largest_batch
from .launchers import launcher

STRATEGIES = ("auto", "ddp")  # paddle.distributed's data parallel is DDP


def launched() -> bool:
    """A worker paddle.distributed.launch started (train.py relaunched, or by hand)."""
    return launcher()["launcher"] == "paddle.distributed.launch"


def gpu_ids(devices) -> list[str]:
    """The GPUs trainer.devices asks for: auto (all), N, -1 (all) or "0,1"."""
    if devices in ("auto", -1, "-1"):
        return [str(i) for i in range(gpu_count())]
    if isinstance(devices, int) or str(devices).isdigit():
        return [str(i) for i in range(int(devices))] if gpu_count() else []
    return [d for d in str(devices).split(",") if d]


def gpu_count() -> int:
    if not paddle.device.is_compiled_with_cuda():
        return 0
    return paddle.device.cuda.device_count()


def check_launch(trainer) -> None:
    """A strategy paddle has, nodes its launcher started, and devices this machine has:
    said before a run directory exists (and before train.py relaunches itself)."""
    if trainer.strategy not in STRATEGIES:
        raise UserError(
            f"trainer.strategy={trainer.strategy}: paddle trains with data parallel"
            " processes; use trainer.strategy=auto or ddp"
        )
    nodes = launcher()["nodes"]
    if trainer.num_nodes not in ("auto", nodes):
        raise UserError(
            f"trainer.num_nodes={trainer.num_nodes}: paddle.distributed.launch started"
            f" {nodes} node(s); give it --nnodes {trainer.num_nodes} on each machine,"
            " or set trainer.num_nodes=auto"
        )
    devices, asked = trainer.devices, str(trainer.devices)
    if launched():
        return  # the launcher gave this worker its device
    count = 0 if trainer.accelerator == "cpu" else gpu_count()
    if not (count or asked == "auto" or asked.isdigit()):  # -1 and 0,1 name GPUs
        raise UserError(
            f"trainer.devices={devices} picks GPUs, and this run is on the"
            " CPU: set trainer.devices=N (N processes) or auto"
        )
    if not count and asked not in ("auto", "1"):  # no GPU, or told cpu
        raise UserError(
            f"trainer.devices={devices}: paddle trains on one CPU process;"
            " use trainer.devices=1 or auto"
        )
    wanted = int(asked) if asked.isdigit() else len([d for d in asked.split(",") if d])
    if asked not in ("auto", "-1") and wanted > 1 and wanted > count:
        raise UserError(
            f"trainer.devices={devices}: this machine has {count} GPU(s) paddle can"
            f" use; use trainer.devices={max(count, 1)} or auto"
        )


def planned_processes(trainer) -> tuple[int, bool]:
    """The processes that train (the launcher's, or one per GPU train.py asks for),
    and whether they train on GPUs."""
    gpu = gpu_available(trainer.accelerator)
    if launched():
        return paddle.distributed.get_world_size(), gpu
    if trainer.accelerator == "cpu":
        return 1, gpu
    return max(len(gpu_ids(trainer.devices)), 1), gpu


def scale_run(cfg, model: paddle.Model, data, precision: str) -> dict:
    """Settle cfg (and the model's copy of it); what was chosen, for record.json:
    {"scaling": launcher, batch and rate, "speed": each speed setting and why}."""
    trainer = cfg.trainer
    processes, gpu = planned_processes(trainer)  # check_launch ran: launch.py
    found = None
    if cfg.data.batch_size == "auto":
        found = (
            largest_batch(model.network, data, cfg, precision) if gpu else cpu_batch()
        )
    plan = plan_batches(cfg, processes, found, len(data.splits["train"]))
    copy_settled(cfg, model.config)
    if trainer.sync_batchnorm and processes > 1:  # in place: its layers are replaced
        paddle.nn.SyncBatchNorm.convert_sync_batchnorm(model.network)
    cap = capability(cfg, model, len(data.splits["train"]), processes)
    return {"scaling": launcher() | plan, "speed": speed_up(cfg, model, cap, precision)}
