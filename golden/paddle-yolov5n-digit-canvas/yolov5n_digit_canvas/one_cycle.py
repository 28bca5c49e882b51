"""The one-cycle schedule's rise, as both twins build it (torch's OneCycleLR on
Lightning, the same schedule on Paddle: optim.py)."""


def rise_share(pct_start: float, total_steps: int) -> float:
    """pct_start, but for a rise of exactly one step, which the one-cycle schedule
    divides by zero on (pct_start x total_steps - 1 = 0: 4 steps at 0.25): half a step,
    so a run that short starts at the peak rate, as 3 steps at 0.25 does."""
    return pct_start if abs(pct_start * total_steps - 1) > 1e-9 else 0.5 / total_steps
