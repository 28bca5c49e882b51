"""Many image files decoded into one uint8 array, by a pool of processes.

PIL decodes on one core per process; chunks of files per task keep the pool's own cost
(pickling, scheduling) small next to the decoding.
"""

import os
from concurrent.futures import ProcessPoolExecutor

import numpy as np

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
    if len(paths) < IN_PROCESS_BELOW or workers < 2:
        results = map(read_chunk, tasks)
    else:
        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(read_chunk, tasks))
    failed = {}
    for number, (chunk, chunk_failed) in enumerate(results):
        start = number * CHUNK
        images[start : start + len(chunk)] = chunk
        failed |= {start + index: reason for index, reason in chunk_failed.items()}
    return images, failed


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
