"""Many image files decoded into one uint8 array, by a pool of processes.

PIL decodes on one core per process; chunks of files per task keep the pool's own cost
(pickling, scheduling) small next to the decoding.
"""

import os
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext

import numpy as np

from ..errors import UserError
from .decode import BadImage, read_image

CHUNK = 256  # files per task
IN_PROCESS_BELOW = 1024  # fewer files decode faster than a pool of processes starts


def usable_cores() -> int:
    """Cores this process may run on (a container or `taskset` may allow fewer)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def read_images(
    paths: list, channels: int, size: int
) -> tuple[np.ndarray, dict[int, str]]:
    """(N, channels, size, size) in the order of `paths`, and {index: reason} for the
    files that could not be read (their slots stay black)."""
    images = np.zeros((len(paths), channels, size, size), np.uint8)
    tasks = [
        (paths[start : start + CHUNK], channels, size)
        for start in range(0, len(paths), CHUNK)
    ]
    workers = min(usable_cores(), len(tasks))
    pooled = len(paths) >= IN_PROCESS_BELOW and workers > 1
    failed: dict[int, str] = {}
    with ProcessPoolExecutor(workers) if pooled else nullcontext() as pool:
        results = (pool.map if pooled else map)(read_chunk, tasks)
        for number, (chunk, chunk_failed) in enumerate(results):  # copied as they come
            start = number * CHUNK
            images[start : start + len(chunk)] = chunk
            failed.update({start + i: reason for i, reason in chunk_failed.items()})
    return images, failed


def check_fits(count: int, channels: int, size: int) -> None:
    """Refuse, before decoding, images that would not fit in memory decoded."""
    needed = count * channels * size * size
    available = available_memory()
    if available and needed > 0.8 * available:
        raise UserError(
            f"{count:,} images of {channels}x{size}x{size} take {needed / 1e9:.1f} GB"
            f" decoded, and {available / 1e9:.1f} GB of memory is free: set"
            " data.image_size lower, or use fewer images"
        )


def available_memory() -> int:
    """Bytes of memory free for this process (Linux: MemAvailable), 0 if unknown."""
    try:
        with open("/proc/meminfo") as f:
            fields = dict(line.split(":", 1) for line in f)
        return int(fields["MemAvailable"].split()[0]) * 1024
    except (OSError, KeyError, ValueError):
        return 0


def read_chunk(task: tuple) -> tuple[np.ndarray, dict[int, str]]:
    paths, channels, size = task
    images = np.zeros((len(paths), channels, size, size), np.uint8)
    failed = {}
    for index, path in enumerate(paths):
        try:
            images[index] = read_image(path, channels, size)
        except BadImage as error:
            failed[index] = str(error)
    return images, failed
