"""Which speed settings a run uses, and why: a pure function of what the machine can do
(its Capability) and what the config asks, so that every GPU case is tested on a CPU.

Each setting is `auto`, `true` or `false`; `auto` turns it on where it pays:
- compile: on a GPU when steps x parameters reach COMPILE_REPAYS. Compiling costs
  about a minute; resnet18 (11M parameters) repays it after ~1800 steps (5 CIFAR-10
  epochs at batch 128), lenet (62k) never in a run of minutes. Off on CPU.
- channels_last: on a GPU with tensor cores (compute capability 7.0+): convolutions
  run on them without transposes (1.6x for resnet18 in a plain loop, BENCHMARKS.md).
- cudnn_benchmark: on a GPU: cuDNN times its kernels once per input shape, and the
  images of a run all have one size.
- tf32: on a GPU with TF32 tensor cores (Ampere or newer, as bf16): fp32 matrix
  products in TF32, 10 bits of mantissa, as PyTorch's own AMP docs advise.
- fused_optimizer: on a GPU: one kernel updates every parameter.
"""

import math
from dataclasses import dataclass

COMPILE_REPAYS = 2e10  # optimizer steps x trainable parameters
SWITCHES = ("compile", "channels_last", "cudnn_benchmark", "tf32", "fused_optimizer")
KEYS = {name: f"speed.{name}" for name in SWITCHES} | {"compile": "trainer.compile"}
PADDLE_LACKS = {
    "channels_last": "its layers fix their data_format (NCHW) when they are built",
    "tf32": "paddle's Python API has no TF32 switch (NVIDIA_TF32_OVERRIDE=0 is global)",
    "fused_optimizer": "AdamW has no fused kernel (Momentum's use_multi_tensor: not wired)",
}

# A switch that only a GPU has: `true` on a CPU run is recorded off, never applied
# (paddle refuses cuDNN's flag in a CPU build).
GPU_ONLY = {"cudnn_benchmark": "cuDNN is a GPU library; the setting applies on a GPU"}


@dataclass(frozen=True)
class Capability:
    backend: str  # lightning or paddle
    gpu: bool  # the run trains on a CUDA GPU
    bf16: bool  # the GPU computes in bf16 (Ampere or newer: TF32 too)
    tensor_cores: bool  # compute capability 7.0 or more
    steps: int  # optimizer steps the run will take
    parameters: int  # trainable parameters


def optimizer_steps(trainer, images: int, batch: int, processes: int) -> int:
    """The optimizer steps of a run: epochs (Lightning's 1000 when -1) x batches
    (trainer.limit_train_batches) / accumulation, at most trainer.max_steps."""
    batches = epoch_batches(trainer, images, batch, processes)
    epochs = trainer.max_epochs if trainer.max_epochs > 0 else 1000
    steps = epochs * math.ceil(batches / trainer.accumulate_grad_batches)
    return min(steps, trainer.max_steps) if trainer.max_steps > 0 else steps


def epoch_batches(trainer, images: int, batch: int, processes: int) -> int:
    """The training batches each process takes an epoch (trainer.limit_train_batches)."""
    batches = math.ceil(images / max(batch * processes, 1))
    limit = trainer.limit_train_batches
    return int(batches * limit) if isinstance(limit, float) else min(batches, limit)


def auto_rules(cap: Capability) -> dict[str, tuple[bool, str]]:
    """What `auto` decides for each switch, and why."""
    if not cap.gpu:
        return dict.fromkeys(SWITCHES, (False, "CPU"))
    work = cap.steps * cap.parameters
    repays = work >= COMPILE_REPAYS
    sign = ">=" if repays else "<"
    cores = (
        "a GPU with tensor cores" if cap.tensor_cores else "a GPU without tensor cores"
    )
    return {
        "compile": (
            repays,
            f"{cap.steps} steps x {cap.parameters} parameters {sign} 2e10",
        ),
        "channels_last": (cap.tensor_cores, cores),
        "cudnn_benchmark": (True, "a GPU, images of one size"),
        "tf32": (cap.bf16, "a GPU with TF32" if cap.bf16 else "a GPU without TF32"),
        "fused_optimizer": (True, "a GPU"),
    }


def precision_why(asked: str, cap: Capability) -> str:
    if asked != "auto":
        return f"set: trainer.precision={asked}"
    if not cap.gpu:
        return "auto: CPU trains in fp32"
    return "auto: a GPU with bf16" if cap.bf16 else "auto: a GPU without bf16"


def choose(asked: dict, precision: str, cap: Capability) -> dict[str, dict]:
    """{setting: {"value": ..., "why": ...}}; `asked`: trainer.precision, trainer.compile
    and the speed section; `precision`: trainer.precision resolved."""
    chosen = {
        "precision": {"value": precision, "why": precision_why(asked["precision"], cap)}
    }
    for name, (on, why) in auto_rules(cap).items():
        value = asked[name]
        if cap.backend == "paddle" and name in PADDLE_LACKS:
            value, why = False, f"not available on paddle: {PADDLE_LACKS[name]}"
        elif value is True and name in GPU_ONLY and not cap.gpu:
            value, why = False, f"off: CPU ({GPU_ONLY[name]})"
        elif value == "auto":
            value, why = on, f"auto: {'on' if on else 'off'}, {why}"
        else:
            why = f"set: {KEYS[name]}={str(value).lower()}"
        chosen[name] = {"value": bool(value), "why": why}
    ema = asked["ema"]
    why = f"set: speed.ema={ema}" if ema else "off: speed.ema=null"
    chosen["ema"] = {"value": ema, "why": why}
    return chosen


def one_line(chosen: dict) -> str:
    """The line a run prints as it starts: each setting's value (why: record.json)."""
    shown = {True: "on", False: "off", None: "off"}
    values = [
        f"{name} {shown.get(c['value'], c['value'])}" for name, c in chosen.items()
    ]
    return "speed: " + ", ".join(values) + ' (why: record.json "speed")'
