"""The optimizer and learning-rate schedule named in the config, in paddle.optimizer.

Schedules step every batch (paddle.Model's LRScheduler callback), so warm-up and one-cycle
work the same for 3 epochs or 300; `step` decays every `step_size` epochs.
`onecycle` is torch's OneCycleLR, which the Lightning twin runs, whole: paddle's moves
only the rate, torch's also moves Adam's beta1 (SGD's momentum) against it.
"""

import math

import paddle
from paddle.optimizer import lr as schedules

from .errors import UserError
from .one_cycle import rise_share


class OneCycle(schedules.OneCycleLR):
    """paddle's OneCycleLR with torch's defaults, and torch's cycle of momentum: 0.95
    falling to 0.85 as the rate rises, then rising back as it anneals (cosine)."""

    optimizer = None  # cycle() names it (paddle steps a schedule once as it is made)

    def __init__(self, base_lr: float, total_steps: int, pct_start: float) -> None:
        super().__init__(
            max_learning_rate=base_lr,
            total_steps=total_steps,
            end_learning_rate=base_lr / 25 / 1e4,
            phase_pct=pct_start,
        )
        self.rise = float(pct_start * total_steps) - 1  # torch's first phase's end

    def cycle(self, optimizer) -> None:
        """Move `optimizer`'s momentum with this schedule from now on."""
        self.optimizer = optimizer
        self.set_momentum()

    def step(self, epoch=None) -> None:
        super().step(epoch)
        if self.optimizer is not None:
            self.set_momentum()

    def set_state_dict(self, state_dict) -> None:
        """A resumed run's momentum is its step's, from its first batch on."""
        super().set_state_dict(state_dict)
        if self.optimizer is not None:
            self.set_momentum()

    def set_momentum(self, high: float = 0.95, low: float = 0.85) -> None:
        now, total = self.last_epoch, self.total_steps - 1
        if now <= self.rise:
            start, end, share = high, low, now / max(self.rise, 1)
        else:
            start, end, share = low, high, (now - self.rise) / max(total - self.rise, 1)
        momentum = end + (start - end) / 2 * (math.cos(math.pi * min(share, 1)) + 1)
        # paddle's Adam and Momentum read these attributes again at every step
        name = "_beta1" if hasattr(self.optimizer, "_beta1") else "_momentum"
        setattr(self.optimizer, name, momentum)


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
        return OneCycle(base_lr, total_steps, rise_share(cfg.pct_start, total_steps))
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
    optimizer = build_optimizer(parameters, cfg.optimizer, lr, clip)
    if isinstance(lr, OneCycle):
        lr.cycle(optimizer)
    return optimizer, epochs
