"""A folder only one process works in at a time: DDP ranks and parallel runs that need
the same download wait for the first, then find its files. Made if missing; if the work
fails, the folders made for it are removed again (no empty `data/MNIST/raw/` stays).
"""

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no lock; run one download at a time there
    fcntl = None


@contextmanager
def locked_folder(folder: Path):
    """`folder`, made if missing and locked against other processes; if the block fails,
    the folders made here are removed again."""
    made = next(
        (p for p in [*reversed(folder.parents), folder] if not p.exists()), None
    )
    lock = folder / ".download.lock"
    while True:  # until the lock held is the file at `lock`, not one unlinked meanwhile
        folder.mkdir(parents=True, exist_ok=True)
        handle = open(lock, "a")  # noqa: SIM115 (held until the block ends)
        if fcntl is None:
            break
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the handle closes
        if lock.exists() and lock.stat().st_ino == os.fstat(handle.fileno()).st_ino:
            break
        handle.close()
    try:
        yield folder
    except BaseException:
        if made is not None:
            shutil.rmtree(made, ignore_errors=True)
        raise
    finally:
        lock.unlink(missing_ok=True)
        handle.close()
