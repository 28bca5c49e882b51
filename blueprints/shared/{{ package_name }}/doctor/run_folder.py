"""Can a run write its directory? A file is made and removed in output_dir (or in the
folder above it that exists, where output_dir would be made): asking the system whether
a folder is writable is not enough (root may write where chmod says no; a read-only
mount says no to everyone)."""

import os
import tempfile
from pathlib import Path

from .disk import existing
from .findings import Finding


def check(cfg) -> Finding:
    if cfg is None:
        return Finding(
            "run folder", "warn", "not checked: the config could not be read"
        )
    folder = Path(cfg.output_dir)
    fix = f"make {folder} writable for this user, or set output_dir=<a writable folder>"
    if folder.exists() and not folder.is_dir():
        said, fix = f"output_dir={folder} is a file", "set output_dir=<a folder>"
        return Finding("run folder", "fail", said, fix)
    place = existing(folder)
    try:
        handle, probe = tempfile.mkstemp(prefix=".doctor-", dir=place)
        os.close(handle)
        os.unlink(probe)
    except OSError as error:
        said = (
            f"output_dir={folder}: cannot write in {place} ({error.strerror or error})"
        )
        return Finding("run folder", "fail", said, fix)
    made = "" if place == folder.absolute() else f" (made in {place} on the first run)"
    return Finding("run folder", "ok", f"output_dir={folder} is writable{made}")
