"""What bench.py measures, framework-free: a clock the training steps tick, the two
paths taken in turns, and the medians and ratio of their figures."""

import os
import resource
import statistics
import time
from collections.abc import Callable

from ..errors import UserError

FIGURES = ("img_per_s", "ms_per_step", "peak_host_mb", "peak_device_mb")


def host_mb() -> float:
    """This process's resident memory now, in MB (Linux); elsewhere its peak so far."""
    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class StepClock:
    """Ticked at the end of every training step: times the `steps` after `warmup`, and
    samples host memory at each. `sync` waits for the device, at the window's two ends
    only, so the steps between run as asynchronously as in training."""

    def __init__(self, warmup: int, steps: int, sync: Callable[[], None]) -> None:
        self.warmup, self.steps, self.sync = warmup, steps, sync
        self.ticks, self.started, self.ended, self.host_peak = 0, None, None, 0.0

    def tick(self) -> None:
        self.ticks += 1
        self.host_peak = max(self.host_peak, host_mb())
        if self.ticks in (self.warmup, self.warmup + self.steps):
            self.sync()
            self.started = self.started or time.perf_counter()
            self.ended = time.perf_counter()

    def need_whole_batches(self, images: int, batch_size: int) -> None:
        """Refuse a round whose timed steps would run into the split's last, partial
        batch: img/s counts batch_size images a step."""
        needed = (self.warmup + self.steps) * batch_size
        if images < needed:
            raise UserError(
                f"bench.py: --warmup {self.warmup} + --steps {self.steps} batches of"
                f" {batch_size} need {needed} training images, the split has {images};"
                " ask fewer steps or a smaller data.batch_size"
            )

    @property
    def done(self) -> bool:
        return self.ticks >= self.warmup + self.steps

    def figures(self, batch_size: int, device_mb: float | None) -> dict:
        if not self.done:  # the epoch ran out of batches first
            raise UserError(
                f"bench.py: the training split has {self.ticks} batches of {batch_size},"
                f" fewer than --warmup {self.warmup} + --steps {self.steps}; ask fewer"
                " steps or a smaller data.batch_size"
            )
        seconds = self.ended - self.started
        return {
            "img_per_s": round(batch_size * self.steps / seconds, 1),
            "ms_per_step": round(1000 * seconds / self.steps, 3),
            "peak_host_mb": round(self.host_peak, 1),
            "peak_device_mb": None if device_mb is None else round(device_mb, 1),
        }


def take_turns(paths: dict[str, Callable[[], dict]], rounds: int) -> list[dict]:
    """Each path once per round, in turn (A B A B ...): a machine that grows busier
    or quieter during the bench slows or speeds both alike."""
    return [
        {"round": i + 1, "path": name, **run()}
        for i in range(rounds)
        for name, run in paths.items()
    ]


def summarise(rows: list[dict], setup: dict) -> dict:
    """The median of each figure per path, and the repo's time per step over the
    hand loop's: 1.00 is as fast, 1.10 is 10% slower."""
    medians = {}
    for path in dict.fromkeys(row["path"] for row in rows):
        mine = [row for row in rows if row["path"] == path]
        medians[path] = {
            key: (
                None
                if mine[0][key] is None
                else statistics.median(r[key] for r in mine)
            )
            for key in FIGURES
        }
    ratio = medians["repo"]["ms_per_step"] / medians["hand"]["ms_per_step"]
    return setup | medians | {"ratio": round(ratio, 3), "rounds": rows}
