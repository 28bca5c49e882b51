"""The run's scale, settled before the Trainer exists: the processes the launcher
(torchrun, SLURM) started, checked by train.py and doctor.py alike (check_launch),
data.batch_size=auto, the effective batch and the rate; then the speed settings, which
depend on the steps these make (speed/)."""

import os

import torch

from ..errors import UserError
from ..speed.apply import capability, speed_up
from ..trainer import resolve_precision
from .batch_plan import copy_settled, cpu_batch, plan_batches
from .batch_search import largest_batch
from .launchers import launcher, layout

# Lightning's names of the strategies this project runs (its registry has more, each
# needing its own setup; ddp_spawn pickles the run's modules, ddp_fork's teardown fails
# on CPU); a typo is said here, before a run directory exists. fsdp shards over GPUs.
STRATEGIES = ("auto", "ddp", "fsdp")
# The batch rank 0 found, for the workers Lightning starts (they run train.py again).
FOUND = "AUTO_BATCH_OF_RANK_0"


def devices_per_node(devices, gpu: bool) -> int:
    """trainer.devices as a count: auto and -1 (every GPU, or 1 CPU process), N, "0,1"."""
    if devices in ("auto", -1, "-1"):
        return torch.cuda.device_count() if gpu else 1
    if isinstance(devices, int) or str(devices).isdigit():
        return int(devices)
    return len([d for d in str(devices).split(",") if d])


def check_launch(trainer) -> None:
    """A strategy Lightning knows, and nodes a launcher started: Lightning itself would
    wait for ever for machines nobody started."""
    if trainer.strategy not in STRATEGIES:
        raise UserError(
            f"trainer.strategy={trainer.strategy} is not allowed: must be one of"
            f" {', '.join(STRATEGIES)} (trainer=ddp: DDP on every GPU)"
        )
    counted = trainer.devices == "auto" or str(trainer.devices).isdigit()
    gpu = on_gpu(trainer)
    if trainer.strategy == "fsdp" and not gpu:
        raise UserError(
            "trainer.strategy=fsdp needs GPUs (it shards the model over them), and this"
            " run is on the CPU: use trainer.strategy=ddp or auto"
        )
    if not (counted or gpu):  # -1 and 0,1 name GPUs
        raise UserError(
            f"trainer.devices={trainer.devices} picks GPUs, and this run is on the"
            " CPU: set trainer.devices=N (N processes) or auto"
        )
    cores = len(os.sched_getaffinity(0))  # the cores this process may run on
    if not gpu and str(trainer.devices).isdigit() and int(trainer.devices) > cores:
        raise UserError(
            f"trainer.devices={trainer.devices}: that many CPU processes, and this run"
            f" may use {cores} core(s): set trainer.devices={cores} or fewer (auto: 1)"
        )
    found = launcher()
    if trainer.num_nodes not in ("auto", found["nodes"]):
        raise UserError(
            f"trainer.num_nodes={trainer.num_nodes}: {found['nodes']} node(s) started"
            f" here ({found['launcher']}); start train.py on each machine with torchrun"
            f" --nnodes {trainer.num_nodes} (or under SLURM), or set trainer.num_nodes=auto"
        )


def planned_processes(trainer) -> tuple[int, bool]:
    """The processes that train (nodes x devices, as build_trainer places them), and
    whether they train on GPUs."""
    placed, gpu = layout(trainer), on_gpu(trainer)
    return placed["num_nodes"] * devices_per_node(placed["devices"], gpu), gpu


def on_gpu(trainer) -> bool:
    return torch.cuda.is_available() and trainer.accelerator in ("auto", "gpu", "cuda")


def scale_run(cfg, model, data) -> dict:
    """Settle cfg (and the model's copy of it); what was chosen, for record.json:
    {"scaling": launcher, batch and rate, "speed": each speed setting and why}."""
    trainer = cfg.trainer
    check_launch(trainer)
    processes, gpu = planned_processes(trainer)
    auto, found = cfg.data.batch_size == "auto", None
    if auto and FOUND in os.environ and "LOCAL_RANK" in os.environ:  # a worker
        found = int(os.environ[FOUND]), "auto: rank 0's search"
    precision = resolve_precision(trainer.precision, trainer.accelerator)
    if auto and not found:
        found = largest_batch(model, data, cfg, precision) if gpu else cpu_batch()
        os.environ[FOUND] = str(found[0])
    plan = plan_batches(cfg, processes, found, len(data.splits["train"]))
    copy_settled(cfg, model.cfg, model.hparams["config"])
    cap = capability(cfg, model, len(data.splits["train"]), processes, gpu)
    return {"scaling": launcher() | plan, "speed": speed_up(cfg, model, cap, precision)}
