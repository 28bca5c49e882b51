"""data.batch_size=auto on a GPU: the largest batch whose training step fits, less the
headroom scaling.batch_headroom keeps for what a step's peak does not show (a longer
caption of memory by the allocator, the validation batch, another process).

The search doubles the batch from 2 until a step of the run's own training_step, on a
copy of the model with the run's optimizer and precision, runs out of memory.
"""

import copy
import warnings

import torch

from ..optim import build_optimizer

MOST = 8192  # the search stops here even when memory is left


def step_fits(model, data, optimizer, batch_size: int, precision: str) -> bool:
    data.cfg.batch_size = batch_size
    device = next(model.parameters()).device
    try:
        batch = next(iter(data.train_dataloader()))
        batch = data.on_after_batch_transfer(
            data.transfer_batch_to_device(batch, device, 0), 0
        )
        half = {"bf16-mixed": torch.bfloat16, "16-mixed": torch.float16}
        with torch.autocast("cuda", half.get(precision), enabled=precision in half):
            with warnings.catch_warnings():  # self.log() without a Trainer: ignored
                warnings.simplefilter("ignore")
                out = model.training_step(batch, 0)
        (out["loss"] if isinstance(out, dict) else out).backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        torch.cuda.synchronize()
        return True
    except torch.cuda.OutOfMemoryError:
        return False


def largest_batch(model, data, cfg, precision: str) -> tuple[int, str]:
    """(batch, why): the batch for data.batch_size=auto on this GPU."""
    trial = copy.deepcopy(model).cuda().train()
    optimizer = build_optimizer(trial.parameters(), cfg.optimizer)
    fits, size = 0, 2
    images = len(data.splits["train"])
    while size <= min(MOST, images) and step_fits(
        trial, data, optimizer, size, precision
    ):
        fits, size = size, size * 2
    del trial, optimizer
    torch.cuda.empty_cache()
    if not fits:
        raise torch.cuda.OutOfMemoryError("a batch of 2 does not fit")
    kept = max(int(fits * (1 - cfg.scaling.batch_headroom)), 1)
    kept = kept // 8 * 8 or kept  # a multiple of 8 suits the GPU's matrix units
    card = torch.cuda.get_device_name()
    return kept, (
        f"auto: {fits} fit on {card}, {kept} keeps"
        f" {cfg.scaling.batch_headroom:.0%} headroom"
    )
