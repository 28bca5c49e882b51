"""Is a file the one expected? Checked before every parse, not only after a download:
a file placed by hand or left from an older run is parsed only once it matches.

A match is remembered in a stamp beside the file (`.<name>.verified`), keyed by the
file's size and modification time, so an unchanged file is hashed once, not every run.
"""

import hashlib
import os
from pathlib import Path

ALGORITHMS = {32: "md5", 64: "sha256"}  # by the length of the hex digest


def is_checksum(text: str) -> bool:
    """An MD5 (32 hex digits) or a sha256 (64)."""
    hex_digits = all(c in "0123456789abcdef" for c in text.lower())
    return len(text) in ALGORITHMS and hex_digits


def mismatch(path: Path, expected: str, stamped_as: Path | None = None) -> str | None:
    """None when `path` has the checksum `expected`, else what it has ("MD5 1f3e...").
    A match is stamped for `stamped_as`: the name a download is about to be renamed to.
    """
    expected, stamped_as = expected.lower(), stamped_as or path
    stamp = stamped_as.with_name(f".{stamped_as.name}.verified")
    status = path.stat()
    key = f"{status.st_size} {status.st_mtime_ns} {expected}"
    if stamp.is_file() and stamp.read_text() == key:
        return None
    algorithm = ALGORITHMS[len(expected)]
    found = file_digest(path, algorithm)
    if found != expected:
        return f"{algorithm.upper()} {found}"
    part = stamp.with_name(f"{stamp.name}.{os.getpid()}.part")
    try:
        part.write_text(key)
        part.replace(stamp)
    except OSError:  # a read-only data folder: verified again next time
        part.unlink(missing_ok=True)
    return None


def file_digest(path: Path, algorithm: str) -> str:
    digest = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
