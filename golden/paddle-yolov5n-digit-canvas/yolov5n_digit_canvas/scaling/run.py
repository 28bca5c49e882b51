"""The run's scale, settled before the loaders exist: the processes paddle's launcher
started, data.batch_size=auto, the effective batch, the rate, and sync batch norm;
then the speed settings, which depend on the steps these make (speed/)."""

import paddle

from ..errors import UserError
from ..speed.apply import capability, speed_up
from ..trainer import gpu_available
from .batch_plan import copy_settled, cpu_batch, plan_batches
from .batch_search import largest_batch
from .launchers import launcher

STRATEGIES = ("auto", "ddp")  # paddle.distributed's data parallel is DDP


def scale_run(cfg, model: paddle.Model, data, precision: str) -> dict:
    """Settle cfg (and the model's copy of it); what was chosen, for record.json:
    {"scaling": launcher, batch and rate, "speed": each speed setting and why}."""
    trainer = cfg.trainer
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
    processes = paddle.distributed.get_world_size()  # set by the launcher: launch.py
    found = None
    if cfg.data.batch_size == "auto":
        gpu = gpu_available(trainer.accelerator)
        found = (
            largest_batch(model.network, data, cfg, precision) if gpu else cpu_batch()
        )
    plan = plan_batches(cfg, processes, found)
    copy_settled(cfg, model.config)
    if trainer.sync_batchnorm and processes > 1:  # in place: its layers are replaced
        paddle.nn.SyncBatchNorm.convert_sync_batchnorm(model.network)
    cap = capability(cfg, model, len(data.splits["train"]), processes)
    return {"scaling": launcher() | plan, "speed": speed_up(cfg, model, cap, precision)}
