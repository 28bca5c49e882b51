"""The optimizer and learning-rate schedule named in the config.

Schedules step every optimizer step (not every epoch), so warm-up and one-cycle work the
same for 3 epochs or 300; `step` decays every `step_size` epochs.
"""

import torch
from torch.optim import lr_scheduler

from .one_cycle import rise_share


def build_optimizer(parameters, cfg, fused: bool = False) -> torch.optim.Optimizer:
    """fused: one kernel updates every parameter (speed.fused_optimizer; None: torch's
    own choice, its foreach kernels on GPUs)."""
    if cfg.name == "sgd":
        return torch.optim.SGD(
            parameters,
            lr=cfg.lr,
            momentum=cfg.momentum,
            nesterov=cfg.nesterov and cfg.momentum > 0,
            weight_decay=cfg.weight_decay,
            fused=fused or None,
        )
    return torch.optim.AdamW(
        parameters,
        lr=cfg.lr,
        betas=tuple(cfg.betas),
        weight_decay=cfg.weight_decay,
        fused=fused or None,
    )


def build_scheduler(optimizer, cfg, total_steps: int, steps_per_epoch: int):
    """An lr_scheduler stepped once per optimizer step, or None for a constant rate."""
    if cfg.name == "cosine":
        warmup = min(int(cfg.warmup_epochs * steps_per_epoch), total_steps - 1)
        lr = optimizer.defaults["lr"]
        cosine = lr_scheduler.CosineAnnealingLR(
            optimizer, T_max=max(total_steps - warmup, 1), eta_min=lr * cfg.min_lr_ratio
        )
        if warmup <= 0:
            return cosine
        ramp = lr_scheduler.LinearLR(optimizer, start_factor=0.01, total_iters=warmup)
        return lr_scheduler.SequentialLR(optimizer, [ramp, cosine], milestones=[warmup])
    if cfg.name == "onecycle":
        return lr_scheduler.OneCycleLR(
            optimizer,
            max_lr=optimizer.defaults["lr"],
            total_steps=total_steps,
            pct_start=rise_share(cfg.pct_start, total_steps),
        )
    if cfg.name == "step":
        return lr_scheduler.StepLR(
            optimizer, step_size=cfg.step_size * steps_per_epoch, gamma=cfg.gamma
        )
    return None
