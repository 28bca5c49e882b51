"""What Lightning's Trainer does for the twin, mapped onto paddle.Model: precision as AMP
configs, checkpoints and early stopping, logs and epoch lines, as callbacks."""

import os
from collections.abc import Sequence
from pathlib import Path

import paddle

from . import OMP_NUM_THREADS
from .callbacks.loggers import Logs
from .callbacks.metrics import EpochMetrics
from .callbacks.progress import EpochLines
from .callbacks.seeds import EpochSeeds
from .callbacks.watch import Watch
from .errors import UserError
from .profiling.profiler import Profiling
from .speed.ema import WeightAverage
from .tracking.trackers import open_trackers


def gpu_available(accelerator: str) -> bool:
    """A CUDA GPU that paddle can use, and an accelerator setting that allows it."""
    if accelerator not in ("auto", "gpu", "cuda"):
        return False
    compiled = paddle.device.is_compiled_with_cuda()
    return compiled and paddle.device.cuda.device_count() > 0


def select_device(accelerator: str) -> None:
    """trainer.accelerator on paddle: a CUDA build trains on gpu:0 unless told cpu.
    paddle's CPU kernels run one OpenMP thread unless told: use every core the process
    may (resnet18 trains ~1.5x faster on 2 cores), or as many as OMP_NUM_THREADS says.
    """
    asked = (OMP_NUM_THREADS or "").split(",")[0]
    cores = int(asked) if asked.isdigit() else len(os.sched_getaffinity(0))
    paddle.base.core.set_num_threads(cores)
    if accelerator == "mps":
        raise UserError(
            "trainer.accelerator=mps: paddle has no Apple GPU backend; use cpu"
        )
    if accelerator in ("gpu", "cuda") and not gpu_available(accelerator):
        raise UserError(
            f"trainer.accelerator={accelerator}: no GPU is visible here;"
            " use trainer.accelerator=auto or cpu"
        )
    if accelerator == "cpu":
        paddle.set_device("cpu")


def resolve_precision(precision: str, accelerator: str) -> str:
    """`auto`: bf16-mixed on GPUs that have bf16, 16-mixed on older GPUs, 32-true on CPU."""
    gpu = gpu_available(accelerator)
    if precision in ("16-mixed", "bf16-mixed") and not gpu:
        raise UserError(
            f"trainer.precision={precision} needs a GPU; on CPU use 32-true"
        )
    if precision != "auto":
        return precision
    if gpu:
        major, _ = paddle.device.cuda.get_device_capability()
        return "bf16-mixed" if major >= 8 else "16-mixed"
    return "32-true"


def device_and_precision(trainer) -> str:
    """select_device, then the precision a run trains in (train.py, bench.py's loop)."""
    select_device(trainer.accelerator)
    return resolve_precision(trainer.precision, trainer.accelerator)


def amp_configs(precision: str):
    """paddle.Model.prepare's amp_configs for a resolved precision (None: fp32)."""
    dtypes = {"16-mixed": "float16", "bf16-mixed": "bfloat16"}
    return {"level": "O1", "dtype": dtypes[precision]} if precision in dtypes else None


def build_callbacks(
    cfg, run_dir: Path, resumed: dict, more: Sequence = ()
) -> tuple[list, Logs, Watch]:
    """The fit callbacks, in order: seeds first, then metrics, as the others read them;
    `more` after the logs, so that an epoch a callback stops (pruning) is logged."""
    first_epoch = resumed.get("epoch", 0)
    trackers = open_trackers(cfg, run_dir) if paddle.distributed.get_rank() == 0 else []
    logs = Logs(run_dir, cfg, first_epoch, trackers)
    watch = Watch(run_dir / "checkpoints", cfg.checkpoint, resumed)
    lines = EpochLines(cfg.trainer.max_epochs, first_epoch)
    seeds = EpochSeeds(cfg.seed, first_epoch)
    metrics = EpochMetrics("val", first_epoch)
    profiling = [Profiling(run_dir)] if cfg.trainer.profile else []  # trainer=profile
    average = [WeightAverage(cfg.speed.ema)] if cfg.speed.ema else []  # after watch
    return (
        [seeds, metrics, watch, logs, *average, *more, lines, *profiling],
        logs,
        watch,
    )
