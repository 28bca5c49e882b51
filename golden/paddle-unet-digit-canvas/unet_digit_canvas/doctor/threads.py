"""The cores this process may use, and the threads and loader processes set to run on
them. A container often allows fewer cores than the machine shows: the frameworks then
start a thread per core they see, and the run crawls."""

import math
import os
import shutil
from pathlib import Path

from .findings import Finding

# Read when checks.py imports this, before any check imports paddle, which sets an unset
# OMP_NUM_THREADS to 1 (the Paddle twin's __init__.py keeps it the same way).
OMP_NUM_THREADS = os.environ.get("OMP_NUM_THREADS")

QUOTA_FILES = (  # cgroup v2, then v1: the CPU time a container may take per period
    (Path("/sys/fs/cgroup/cpu.max"), None),
    (
        Path("/sys/fs/cgroup/cpu/cpu.cfs_quota_us"),
        Path("/sys/fs/cgroup/cpu/cpu.cfs_period_us"),
    ),
)
SHM = Path("/dev/shm")  # where loader processes hand batches over; docker gives 64 MB
SHM_ENOUGH = 512 * 2**20


def cpu_quota() -> float | None:
    """The cores' worth of CPU time the container may use, or None without a limit."""
    for quota_file, period_file in QUOTA_FILES:
        try:
            words = quota_file.read_text().split()
            period = period_file.read_text() if period_file else words[1]
        except (OSError, IndexError):
            continue
        if words[0] not in ("max", "-1"):
            return int(words[0]) / int(period)
    return None


def check(cfg) -> Finding:
    shown, allowed, quota = os.cpu_count(), len(os.sched_getaffinity(0)), cpu_quota()
    cores = min(allowed, max(1, math.floor(quota))) if quota else allowed
    omp = OMP_NUM_THREADS
    workers = cfg.data.num_workers if cfg is not None else "auto"
    found = (
        f"{cores} cores usable ({shown} on the machine), OMP_NUM_THREADS="
        f"{omp or 'unset'}, data.num_workers={workers}"
    )
    fix = (
        f"OMP_NUM_THREADS={cores} python train.py data.num_workers={max(cores - 1, 0)}"
    )
    if quota is not None and quota < allowed:
        found += (
            f"; the container allows {quota:g} cores' time of the {allowed} it shows"
        )
        return Finding("threads", "warn", found, fix)
    if omp and omp.split(",")[0].isdigit() and int(omp.split(",")[0]) > cores:
        return Finding("threads", "warn", found + "; more threads than cores", fix)
    if isinstance(workers, int) and workers > cores:
        return Finding("threads", "warn", found + "; more loaders than cores", fix)
    if workers != 0 and SHM.is_dir() and shutil.disk_usage(SHM).free < SHM_ENOUGH:
        free = shutil.disk_usage(SHM).free / 2**20
        found += f"; {SHM} has {free:.0f} MB free for the loader processes"
        return Finding("threads", "warn", found, "docker run --shm-size 2g ...")
    return Finding("threads", "ok", found)
