"""The optimizer and learning-rate schedule named in the config, in paddle.optimizer.

Schedules step every batch (paddle.Model's LRScheduler callback), so warm-up and one-cycle
work the same for 3 epochs or 300; `step` decays every `step_size` epochs.
"""

import paddle
from paddle.optimizer import lr as schedules

from .errors import UserError


def build_scheduler(cfg, base_lr: float, total_steps: int, steps_per_epoch: int):
    """A paddle LRScheduler stepped once per batch, or the constant base_lr."""
    if cfg.name == "cosine":
        warmup = min(int(cfg.warmup_epochs * steps_per_epoch), total_steps - 1)
        cosine = schedules.CosineAnnealingDecay(
            base_lr,
            T_max=max(total_steps - warmup, 1),
            eta_min=base_lr * cfg.min_lr_ratio,
        )
        if warmup <= 0:
            return cosine
        return schedules.LinearWarmup(cosine, warmup, base_lr * 0.01, base_lr)
    if cfg.name == "onecycle":
        return schedules.OneCycleLR(
            max_learning_rate=base_lr,
            total_steps=total_steps,
            end_learning_rate=base_lr / 25 / 1e4,  # torch's OneCycleLR defaults
            phase_pct=cfg.pct_start,
        )
    if cfg.name == "step":
        return schedules.StepDecay(
            base_lr, step_size=cfg.step_size * steps_per_epoch, gamma=cfg.gamma
        )
    return base_lr


def build_optimizer(
    parameters, cfg, learning_rate, clip_norm
) -> paddle.optimizer.Optimizer:
    clip = paddle.nn.ClipGradByGlobalNorm(clip_norm) if clip_norm else None
    if cfg.name == "sgd":
        return paddle.optimizer.Momentum(
            learning_rate,
            momentum=cfg.momentum,
            parameters=parameters,
            use_nesterov=cfg.nesterov and cfg.momentum > 0,
            weight_decay=cfg.weight_decay,
            grad_clip=clip,
        )
    beta1, beta2 = cfg.betas
    return paddle.optimizer.AdamW(
        learning_rate,
        beta1=beta1,
        beta2=beta2,
        parameters=parameters,
        weight_decay=cfg.weight_decay,
        grad_clip=clip,
    )


def schedule_length(trainer, batches_per_epoch: int) -> tuple[int, int]:
    """Epochs to run and schedule steps (batches), from max_epochs / max_steps."""
    if trainer.max_epochs > 0:
        epochs = trainer.max_epochs
    elif trainer.max_steps > 0:
        epochs = -(-trainer.max_steps // batches_per_epoch)
    else:
        epochs = 1000  # Lightning's default when neither limit is set
    total = epochs * batches_per_epoch
    if trainer.max_steps > 0:
        total = min(total, trainer.max_steps * trainer.accumulate_grad_batches)
    if total < 1:
        raise UserError(
            "no training batches: check data.batch_size and trainer.limit_*"
        )
    return epochs, total


def build_optimization(cfg, parameters, batches_per_epoch: int):
    """The optimizer (with its schedule) and the number of epochs to run."""
    epochs, total_steps = schedule_length(cfg.trainer, batches_per_epoch)
    base_lr = cfg.optimizer.lr
    lr = build_scheduler(cfg.scheduler, base_lr, total_steps, batches_per_epoch)
    clip = cfg.trainer.gradient_clip_val
    return build_optimizer(parameters, cfg.optimizer, lr, clip), epochs
