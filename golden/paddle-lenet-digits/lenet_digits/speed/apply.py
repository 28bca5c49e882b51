"""The speed settings of a Paddle run: the machine's capability, the choices
(choices.py), and each one applied where paddle has it: compile as
paddle.jit.to_static, cudnn_benchmark as cuDNN's exhaustive search, EMA by ema.py.
What paddle lacks (channels-last layers, a TF32 switch, a fused AdamW) is recorded as
"not available on paddle: why" by choices.py, never silently ignored."""

import paddle

from ..trainer import gpu_available
from .choices import Capability, choose, one_line, optimizer_steps


def capability(cfg, model: paddle.Model, images: int, processes: int) -> Capability:
    gpu = gpu_available(cfg.trainer.accelerator)
    major = paddle.device.cuda.get_device_capability()[0] if gpu else 0
    network = model.network
    return Capability(
        backend="paddle",
        gpu=gpu,
        bf16=major >= 8,
        tensor_cores=major >= 7,
        steps=optimizer_steps(cfg.trainer, images, cfg.data.batch_size, processes),
        parameters=sum(p.size for p in network.parameters() if not p.stop_gradient),
    )


def speed_up(cfg, model: paddle.Model, cap: Capability, precision: str) -> dict:
    """Apply the choices to this process and `model`; return them for record.json."""
    asked = dict(cfg.speed) | {
        "precision": cfg.trainer.precision,
        "compile": cfg.trainer.compile,
    }
    chosen = choose(asked, precision, cap)
    if chosen["cudnn_benchmark"]["value"]:
        paddle.set_flags({"FLAGS_cudnn_exhaustive_search": True})
    if chosen["compile"]["value"]:  # the network, not its input pipeline: tensors in
        model.network.network = paddle.jit.to_static(model.network.network)
    if paddle.distributed.get_rank() == 0:
        print(one_line(chosen), flush=True)
    return chosen
