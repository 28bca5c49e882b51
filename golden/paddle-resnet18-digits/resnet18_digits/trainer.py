"""What Lightning's Trainer does for the twin, mapped onto paddle.Model: precision as AMP
configs, checkpoints and early stopping, logs and epoch lines, as callbacks."""

import random
from pathlib import Path

import numpy as np
import paddle

from .errors import UserError
from .loggers import Logs
from .metrics import EpochMetrics
from .progress import EpochLines
from .watch import Watch


def gpu_available(accelerator: str) -> bool:
    return paddle.device.is_compiled_with_cuda() and accelerator in (
        "auto",
        "gpu",
        "cuda",
    )


def resolve_precision(precision: str, accelerator: str) -> str:
    """`auto`: bf16-mixed on GPUs that have bf16, 16-mixed on older GPUs, 32-true on CPU."""
    gpu = gpu_available(accelerator) and paddle.device.cuda.device_count() > 0
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


def amp_configs(precision: str):
    """paddle.Model.prepare's amp_configs for a resolved precision (None: fp32)."""
    dtypes = {"16-mixed": "float16", "bf16-mixed": "bfloat16"}
    return {"level": "O1", "dtype": dtypes[precision]} if precision in dtypes else None


def build_callbacks(cfg, run_dir: Path, resumed: dict) -> tuple[list, Logs, Watch]:
    """The fit callbacks, in order: metrics first, as the others read them."""
    first_epoch, best = resumed.get("epoch", 0), resumed.get("best")
    logs = Logs(run_dir, cfg.loggers, cfg.trainer.log_every_n_steps, first_epoch)
    watch = Watch(run_dir / "checkpoints", cfg.checkpoint, first_epoch, best)
    lines = EpochLines(cfg.trainer.max_epochs, first_epoch)
    return [EpochMetrics("val"), watch, logs, lines], logs, watch


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    paddle.seed(seed)
