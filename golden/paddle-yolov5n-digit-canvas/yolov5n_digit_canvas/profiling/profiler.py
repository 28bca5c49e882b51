"""trainer=profile: paddle.profiler over the first epoch's training steps, after a few
warm-up steps; the trace goes to <run>/profile/, and the top operations and the share
of time spent waiting for data are printed when those steps end."""

from pathlib import Path

import paddle
import paddle.profiler as profiler
from paddle.callbacks import Callback
from paddle.profiler.profiler_statistic import StatisticData

from .data_wait import DataWait

SKIPPED = 2  # the first steps warm allocators and caches: not what an epoch costs
TOP = 12  # operations printed


class Profiling(Callback):
    def __init__(self, run_dir: Path) -> None:
        super().__init__()
        self.folder = run_dir / "profile"
        self.profiler, self.finished, self.wait = None, False, DataWait()

    def on_train_batch_begin(self, step, logs=None) -> None:
        if self.profiler is not None:
            self.wait.step_starts()

    def on_train_batch_end(self, step, logs=None) -> None:
        if self.profiler is not None:
            self.wait.step_ends()
        elif not self.finished and paddle.distributed.get_rank() == 0:
            steps = self.params.get("steps") or SKIPPED + 1  # this epoch's batches
            if step + 1 == min(SKIPPED, steps - 1):
                targets = [profiler.ProfilerTarget.CPU]
                if paddle.device.get_device().startswith("gpu"):
                    targets.append(profiler.ProfilerTarget.GPU)
                on_ready = profiler.export_chrome_tracing(str(self.folder))
                self.profiler = profiler.Profiler(
                    targets=targets, on_trace_ready=on_ready
                )
                self.profiler.start()
                self.wait.begin()

    def on_eval_begin(self, logs=None) -> None:
        self.finish()  # the epoch's training steps are done: validation is not profiled

    def on_train_end(self, logs=None) -> None:
        self.finish()  # trainer.max_steps stopped it within the epoch

    def finish(self) -> None:
        if self.profiler is None:
            return
        gpu = paddle.device.get_device().startswith("gpu")
        if gpu:
            paddle.device.cuda.synchronize()
        self.profiler.stop()  # writes the trace
        result = self.profiler.profiler_result
        events = StatisticData(result.get_data(), result.get_extra_info())
        ops = events.event_summary.items  # name: calls and times (ns)
        time_of = (lambda op: op.gpu_time) if gpu else (lambda op: op.cpu_time)
        total = sum(time_of(op) for op in ops.values()) or 1
        print(f"top operations by time ({'GPU' if gpu else 'CPU'}):")
        print(f"{'operation':<40} {'calls':>6} {'total ms':>9} {'share':>6}")
        for name, op in sorted(ops.items(), key=lambda item: -time_of(item[1]))[:TOP]:
            print(
                f"{name:<40} {op.call:>6} {time_of(op) / 1e6:>9.2f}"
                f" {time_of(op) / total:>6.1%}"
            )
        trace = max(self.folder.glob("*.json"), key=lambda path: path.stat().st_mtime)
        print(self.wait.line(trace), flush=True)
        self.profiler, self.finished = None, True
