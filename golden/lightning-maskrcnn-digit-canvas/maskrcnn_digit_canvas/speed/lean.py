"""The lean step: what Lightning does around every training step that this project's
runs do not need, left out (BENCHMARKS.md, "The lean step (issue 13)").

- Lightning's default profiler opens a do-nothing context ~65 times a step (~0.05 ms);
  NoProfiler hands back one shared empty context instead.
- Lightning names each callback by its state_key before every hook it calls, ~6 a
  step; ModelCheckpoint's and EarlyStopping's is a repr of their settings (~0.03 ms a
  step each): theirs are made once here (the settings never change after __init__).
- Importing Lightning sets PYTORCH_NVML_BASED_CUDA_CHECK=1, so that asking whether
  CUDA is there never initialises it (forked processes could not use it after). Then
  every torch.cuda.is_available() loads the NVIDIA management library anew, and on a
  machine without a GPU that failing load costs ~0.1 ms; torch's optimizers ask at
  every step. With no GPU there is nothing to keep safe: the plain check is taken.
"""

import contextlib
import os
from functools import cached_property

import torch
from pytorch_lightning.callbacks import EarlyStopping, ModelCheckpoint
from pytorch_lightning.profilers import PassThroughProfiler

NOTHING = contextlib.nullcontext()


class NoProfiler(PassThroughProfiler):
    def profile(self, action_name: str) -> contextlib.AbstractContextManager:
        return NOTHING


class Checkpoint(ModelCheckpoint):
    @cached_property
    def state_key(self) -> str:
        return super().state_key


class EarlyStop(EarlyStopping):
    @cached_property
    def state_key(self) -> str:
        return super().state_key


def plain_cuda_check() -> None:
    """On a machine without a GPU, torch's own CUDA check (1 µs) over NVML's (0.1 ms)."""
    if not torch.cuda.is_available():
        os.environ.pop("PYTORCH_NVML_BASED_CUDA_CHECK", None)
