"""Many image files decoded into one uint8 array (or their headers checked), by a pool
of processes.

PIL decodes on one core per process; chunks of files per task keep the pool's own cost
(pickling, scheduling) small next to the decoding.
"""

import os
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from .decode import BadImage, probe_image, read_image

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
    failed = {}
    tasks = [(read_chunk, chunk, channels, size) for chunk in chunks(paths)]
    for number, (chunk, chunk_failed) in enumerate(pooled(tasks, len(paths))):
        start = number * CHUNK  # copied as they come
        images[start : start + len(chunk)] = chunk
        failed.update({start + i: reason for i, reason in chunk_failed.items()})
    return images, failed


def probe_images(paths: list, jpeg_only: bool = False) -> dict[int, str]:
    """{index: reason} for the files whose header cannot be read (nothing decoded),
    or, with `jpeg_only`, that are not JPEG files."""
    failed = {}
    tasks = [(probe_chunk, chunk, jpeg_only) for chunk in chunks(paths)]
    for number, chunk_failed in enumerate(pooled(tasks, len(paths))):
        failed.update({number * CHUNK + i: r for i, r in chunk_failed.items()})
    return failed


def chunks(paths: list) -> list[list]:
    return [paths[start : start + CHUNK] for start in range(0, len(paths), CHUNK)]


def pooled(tasks: list, files: int):
    """Each task's result in order: from a pool of processes when there are files
    enough to repay starting it, else from this process."""
    workers = min(usable_cores(), len(tasks))
    if files < IN_PROCESS_BELOW or workers < 2:
        yield from map(run_task, tasks)
        return
    with ProcessPoolExecutor(workers) as pool:
        yield from pool.map(run_task, tasks)


def run_task(task: tuple):
    function, *arguments = task
    return function(*arguments)


def read_chunk(paths: list, channels: int, size: int) -> tuple[np.ndarray, dict]:
    images = np.zeros((len(paths), channels, size, size), np.uint8)
    failed = {}
    for index, path in enumerate(paths):
        try:
            images[index] = read_image(path, channels, size)
        except BadImage as error:
            failed[index] = str(error)
    return images, failed


def probe_chunk(paths: list, jpeg_only: bool) -> dict[int, str]:
    failed = {}
    for index, path in enumerate(paths):
        try:
            probe_image(path, jpeg_only)
        except BadImage as error:
            failed[index] = str(error)
    return failed
