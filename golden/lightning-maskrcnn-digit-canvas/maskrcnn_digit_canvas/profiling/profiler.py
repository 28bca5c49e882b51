"""trainer=profile: torch.profiler over the first epoch's training steps, after a few
warm-up steps; the trace goes to <run>/profile/trace.json, and the top operations and
the share of time spent waiting for data are printed when those steps end."""

import os
import sys
from contextlib import contextmanager
from pathlib import Path

import torch
from pytorch_lightning.callbacks import Callback
from torch.profiler import ProfilerActivity, profile

from .data_wait import DataWait

SKIPPED = 2  # the first steps warm allocators and caches: not what an epoch costs
TOP = 12  # operations printed


@contextmanager
def quiet_probes():
    """Without a GPU, kineto (torch.profiler's C++ side) writes its CUDA probing to the
    process's stderr as it starts and stops ("gpuGetDeviceCount failed", USDT lines):
    not the run's news. Silenced there, at the file descriptor, for those calls only."""
    if torch.cuda.is_available():
        yield
        return
    sys.stderr.flush()
    kept = os.dup(2)
    with open(os.devnull, "w") as null:
        os.dup2(null.fileno(), 2)
    try:
        yield
    finally:
        os.dup2(kept, 2)
        os.close(kept)


class Profiling(Callback):
    def __init__(self, run_dir: Path) -> None:
        self.trace = run_dir / "profile" / "trace.json"
        self.profiler, self.finished, self.wait = None, False, DataWait()

    def on_train_batch_start(self, trainer, pl_module, batch, batch_idx) -> None:
        if self.profiler is not None:
            self.wait.step_starts()

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx):
        if self.profiler is not None:
            self.wait.step_ends()
            return
        warmed_up = batch_idx + 1 == min(SKIPPED, trainer.num_training_batches - 1)
        if warmed_up and not self.finished and trainer.is_global_zero:
            activities = [ProfilerActivity.CPU]
            if torch.cuda.is_available():
                activities.append(ProfilerActivity.CUDA)
            self.profiler = profile(activities=activities)
            with quiet_probes():
                self.profiler.start()
            self.wait.begin()

    def on_validation_start(self, trainer, pl_module) -> None:
        self.finish()  # the epoch's training steps are done: validation is not profiled

    def on_train_end(self, trainer, pl_module) -> None:
        self.finish()  # trainer.max_steps stopped it within the epoch

    def finish(self) -> None:
        if self.profiler is None:
            return
        gpu = torch.cuda.is_available()
        if gpu:
            torch.cuda.synchronize()
        with quiet_probes():
            self.profiler.stop()
            self.trace.parent.mkdir(exist_ok=True)
            self.profiler.export_chrome_trace(str(self.trace))
        sort = "self_cuda_time_total" if gpu else "self_cpu_time_total"
        print(f"top operations by self time ({'GPU' if gpu else 'CPU'}):")
        print(self.profiler.key_averages().table(sort_by=sort, row_limit=TOP))
        print(self.wait.line(self.trace), flush=True)
        self.profiler, self.finished = None, True
