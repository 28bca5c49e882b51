"""How many images each optimizer step sees, and the learning rate that goes with them.

effective batch = data.batch_size x processes x trainer.accumulate_grad_batches.
scaling.effective_batch_size holds it fixed: the accumulation follows from the batch
and the processes, so a run on 1 GPU and on 8 take the same steps; a saved config's
accumulation (another layout's) is recomputed, so a run resumes or reruns on any.
The learning-rate rule (scaling.lr_scaling) is printed either way; it changes
optimizer.lr only when asked, and then records the batch the new rate is for, so a
rerun from config.yaml does not scale it twice.
"""

import math

from ..errors import UserError
from ..speed.choices import epoch_batches
from .launchers import main_process

CPU_BATCH = 32  # data.batch_size=auto on CPU: memory does not bound it, step time does
# What the plan settles, to copy into the model's own config (checkpoints carry it).
SETTLED = (
    ("data", "batch_size"),
    ("trainer", "accumulate_grad_batches"),
    ("optimizer", "lr"),
    ("scaling", "lr_batch_size"),
)


def copy_settled(cfg, *configs) -> None:
    for config in configs:
        for section, key in SETTLED:
            config[section][key] = cfg[section][key]


def cpu_batch() -> tuple[int, str]:
    return CPU_BATCH, (
        f"{CPU_BATCH} on CPU: memory does not limit a CPU batch, and a small one keeps"
        " steps short; set data.batch_size=N to choose"
    )


def divisor_at_most(total: int, most: int) -> int:
    """The largest batch ≤ `most` that divides `total` images a process takes a step."""
    return max(b for b in range(1, min(total, most) + 1) if total % b == 0)


def plan_batches(
    cfg, processes: int, found: tuple[int, str] | None, images: int | None = None
) -> dict:
    """Settle data.batch_size, accumulation and optimizer.lr in `cfg`; say so once.
    `images`: the training split's, where the data is read (not in doctor.py)."""
    scale, recomputed = cfg.scaling, ""
    batch, why = found or (cfg.data.batch_size, "as set")
    if scale.effective_batch_size:
        per_process, left = divmod(scale.effective_batch_size, processes)
        if left or per_process < 1:
            raise UserError(
                f"scaling.effective_batch_size={scale.effective_batch_size} does not"
                f" divide among {processes} processes: use a multiple of {processes}"
            )
        if found and per_process % batch:  # auto: the largest that fits and divides
            batch = divisor_at_most(per_process, batch)
            why = f"{why}; lowered to {batch} to divide {per_process} a process"
        accumulate, left = divmod(per_process, batch)
        if left or accumulate < 1:
            raise UserError(
                f"scaling.effective_batch_size={scale.effective_batch_size} is not a"
                f" multiple of data.batch_size={batch} x {processes} processes: use"
                f" data.batch_size={divisor_at_most(per_process, batch)} or auto"
            )
        asked = cfg.trainer.accumulate_grad_batches
        # A saved config (config.yaml, a checkpoint's) holds the accumulation of the
        # layout it ran on: recomputed for this one. One no layout gives is refused.
        if scale.effective_batch_size % (batch * asked):
            raise UserError(
                f"trainer.accumulate_grad_batches={asked} and scaling.effective_batch_size="
                f"{scale.effective_batch_size} disagree (that is {accumulate} accumulated"
                f" at data.batch_size={batch} x {processes} processes): set one of them"
            )
        if asked not in (1, accumulate):
            recomputed = f" (not {asked}: that was for another layout)"
        cfg.trainer.accumulate_grad_batches = accumulate
    cfg.data.batch_size = batch
    accumulate = cfg.trainer.accumulate_grad_batches
    if images is not None:
        check_epoch(cfg.trainer, epoch_batches(cfg.trainer, images, batch, processes))
    effective = batch * processes * accumulate
    lr, rule, base = cfg.optimizer.lr, scale.lr_scaling, scale.lr_batch_size
    ratio = effective / base
    factor = {"none": 1.0, "linear": ratio, "sqrt": math.sqrt(ratio)}[rule]
    if rule == "none":  # the rule said, not applied: lr ∝ images a step (linear)
        said = f"optimizer.lr {lr:g}, set for {base} images a step"
        if effective != base:
            said += f" (the linear rule, scaling.lr_scaling=linear: {lr * ratio:g})"
    else:
        said = f"optimizer.lr {lr * factor:g} = {lr:g} x {rule}({effective}/{base})"
        cfg.optimizer.lr, scale.lr_batch_size = lr * factor, effective
    if main_process():
        print(
            f"batch: {batch} a process ({why}) x {processes} process(es) x {accumulate}"
            f" accumulated{recomputed} = {effective} images a step; {said}",
            flush=True,
        )
    return {
        "batch_size": batch,
        "batch_size_chosen": why,
        "processes": processes,
        "accumulate_grad_batches": accumulate,
        "effective_batch_size": effective,
        "lr": cfg.optimizer.lr,
        "lr_scaling": rule,
    }


def check_epoch(trainer, batches: int) -> None:
    """Lightning and paddle step at an epoch's end whatever is accumulated: an
    accumulation longer than the epoch would step with fewer images than it says."""
    if trainer.accumulate_grad_batches > batches:
        raise UserError(
            f"trainer.accumulate_grad_batches={trainer.accumulate_grad_batches} is more"
            f" than the {batches} batches an epoch gives each process: the optimizer"
            f" would step at the epoch's end, after {batches}; use at most {batches}"
            " (lower scaling.effective_batch_size, or train on more batches)"
        )
