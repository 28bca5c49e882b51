"""The speed settings of a Lightning run: the machine's capability, the choices
(choices.py), and each one applied: torch's backend flags here, compile on the network,
channels-last and fused optimizers by the task module (task_module.py), EMA by ema.py.
"""

import os

import torch

from ..scaling.launchers import launcher
from .choices import SWITCHES, Capability, choose, one_line, optimizer_steps


def capability(cfg, model, images: int, processes: int, gpu: bool) -> Capability:
    major = torch.cuda.get_device_capability()[0] if gpu else 0
    return Capability(
        backend="lightning",
        gpu=gpu,
        bf16=gpu and torch.cuda.is_bf16_supported(),
        tensor_cores=major >= 7,
        steps=optimizer_steps(cfg.trainer, images, cfg.data.batch_size, processes),
        parameters=sum(p.numel() for p in model.parameters() if p.requires_grad),
    )


def speed_up(cfg, model, cap: Capability, precision: str) -> dict:
    """Apply the choices to this process and `model`; return them for record.json."""
    asked = dict(cfg.speed) | {
        "precision": cfg.trainer.precision,
        "compile": cfg.trainer.compile,
    }
    chosen = choose(asked, precision, cap)
    on = {name: chosen[name]["value"] for name in SWITCHES}
    torch.backends.cudnn.benchmark = on["cudnn_benchmark"]
    torch.backends.cuda.matmul.allow_tf32 = on["tf32"]
    torch.backends.cudnn.allow_tf32 = on["tf32"]
    model.speed = on  # channels_last and fused_optimizer: task_module.py
    if on["compile"]:
        model.net.compile()  # in place: the checkpoint's parameter names stay
    # rank 0 of torchrun or SLURM, and not one of Lightning's own DDP workers
    if launcher()["rank"] == 0 and int(os.environ.get("LOCAL_RANK", 0)) == 0:
        print(one_line(chosen), flush=True)
    return chosen


def channels_last_batches(trainer) -> bool:
    """Batches on a GPU take the network's layout: channels-last unless speed says not."""
    module = getattr(trainer, "lightning_module", None)
    return getattr(module, "speed", {}).get("channels_last", True)
