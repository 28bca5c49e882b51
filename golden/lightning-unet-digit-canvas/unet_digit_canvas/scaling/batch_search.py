"""data.batch_size=auto on a GPU: the largest batch whose training step fits, less the
headroom scaling.batch_headroom keeps (the allocator's fragmentation, the validation
batch, what another process on the card takes).

The search doubles the batch from 2, each time fitting a copy of the model for one
step on real batches with the run's own training_step, optimizer and precision, until
the GPU runs out of memory.
"""

import copy
import gc
import tempfile

import pytorch_lightning as pl
import torch

from ..errors import UserError

MOST = 8192  # the search stops here even when memory is left


def step_fits(model, data, batch_size: int, precision: str) -> bool:
    data.cfg.batch_size = batch_size
    trial = copy.deepcopy(model)
    with tempfile.TemporaryDirectory() as scratch:
        trainer = pl.Trainer(
            accelerator="gpu",
            devices=1,
            precision=precision,
            max_epochs=1,
            limit_train_batches=1,  # one step (max_steps would leave the schedule unsized)
            limit_val_batches=0,
            num_sanity_val_steps=0,
            logger=False,
            enable_checkpointing=False,
            enable_progress_bar=False,
            enable_model_summary=False,
            default_root_dir=scratch,
        )
        try:
            trainer.fit(trial, datamodule=data)
            return True
        except torch.cuda.OutOfMemoryError:
            return False
        finally:
            del trainer, trial
            gc.collect()
            torch.cuda.empty_cache()


def largest_batch(model, data, cfg, precision: str) -> tuple[int, str]:
    """(batch, why): the batch for data.batch_size=auto on this GPU."""
    fits, size = 0, 2
    images = len(data.splits["train"])
    while size <= min(MOST, images) and step_fits(model, data, size, precision):
        fits, size = size, size * 2
    card = torch.cuda.get_device_name()
    if not fits:
        raise UserError(
            f"data.batch_size=auto: a batch of 2 does not fit on {card}; free the GPU"
            " (nvidia-smi), or use trainer.precision=bf16-mixed or a smaller model"
        )
    kept = max(int(fits * (1 - cfg.scaling.batch_headroom)), 1)
    kept = kept // 8 * 8 or kept  # a multiple of 8 suits the GPU's matrix units
    return kept, (
        f"auto: {fits} fit on {card}, {kept} keeps"
        f" {cfg.scaling.batch_headroom:.0%} headroom"
    )
