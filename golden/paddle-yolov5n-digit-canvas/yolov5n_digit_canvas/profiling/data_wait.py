"""The share of a step's time the model spends waiting for its next batch, framework-free."""

import time
from pathlib import Path


class DataWait:
    """From one training step's end to the next one's start the loader fetches the next
    batch and it is moved to the device (on Lightning, augmented there too), beside the
    framework's own work between steps: the model waits. Summed over the profiled steps.
    """

    def __init__(self) -> None:
        self.waited, self.steps, self.first, self.last_end = 0.0, 0, None, None

    def begin(self) -> None:
        self.first = self.last_end = time.perf_counter()

    def step_starts(self) -> None:
        self.waited += time.perf_counter() - self.last_end

    def step_ends(self) -> None:
        self.last_end = time.perf_counter()
        self.steps += 1

    def line(self, trace: Path) -> str:
        total = self.last_end - self.first
        share = self.waited / total if total else 0.0
        return (
            f"data wait: {share:.0%} of {total:.2f} s over {self.steps} profiled steps"
            f" ({self.waited:.3f} s waiting for batches; more than ~10%: raise"
            f" data.num_workers or hold the data in memory)\n"
            f"trace: {trace} (open it in https://ui.perfetto.dev or chrome://tracing)"
        )
