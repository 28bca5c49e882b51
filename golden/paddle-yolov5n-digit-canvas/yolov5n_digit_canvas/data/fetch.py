"""One URL into one file: a timeout on every connect and read, resumed with an HTTP Range
request after a cut connection, retried with backoff, the free space checked before
writing, and a progress bar when a person is watching (stderr is a terminal)."""

import errno
import http.client
import shutil
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from ..errors import UserError

ATTEMPTS = 4  # per URL; each continues from the bytes the last one received
BACKOFF_S = 0.5  # the wait before the second attempt, doubled before each next one
RETRY_STATUS = {408, 429, 500, 502, 503, 504}


class Unavailable(Exception):
    """This URL gave no file; the message says why. The next mirror may have it."""


class Interrupted(Exception):
    """The transfer broke off after it began: worth another attempt."""


def fetch_url(url: str, part: Path, timeout_s: float) -> None:
    """Download `url` into `part`, continuing from what `part` already holds."""
    for attempt in range(ATTEMPTS):
        try:
            return fetch_once(url, part, timeout_s)
        except Interrupted as error:
            if attempt == ATTEMPTS - 1:
                raise Unavailable(f"{error}, {ATTEMPTS} attempts") from None
            time.sleep(BACKOFF_S * 2**attempt)


def fetch_once(url: str, part: Path, timeout_s: float) -> None:
    have = part.stat().st_size if part.exists() else 0
    headers = {"Range": f"bytes={have}-"} if have else {}
    request = urllib.request.Request(url, headers=headers)
    try:
        response = urllib.request.urlopen(request, timeout=timeout_s)
    except urllib.error.HTTPError as error:
        if error.code == 416:  # the part is longer than the file: start again
            part.unlink()
        if error.code in RETRY_STATUS or error.code == 416:
            raise Interrupted(f"HTTP {error.code} {error.reason}") from None
        raise Unavailable(f"HTTP {error.code} {error.reason}") from None
    except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
        # no answer: offline, refused, or silent
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError):
            reason = f"no answer within {timeout_s:g} s"
        raise Unavailable(str(reason)) from None
    with response:
        if response.status != 206:  # the server sends the whole file again
            have = 0
        length = response.headers.get("Content-Length")
        total = have + int(length) if length else None
        if total is not None:
            check_space(part, total - have)
        copy(response, part, have, total, timeout_s)


def copy(response, part: Path, have: int, total: int | None, timeout_s) -> None:
    progress = Progress(part.name.removesuffix(".part"), have, total)
    try:
        with open(part, "ab" if have else "wb") as out:
            while chunk := response.read(1 << 20):
                out.write(chunk)
                progress.advance(len(chunk))
    except OSError as error:
        if error.errno == errno.ENOSPC:
            raise full_disk(part, total) from None
        if isinstance(error, TimeoutError):
            raise Interrupted(f"no data for {timeout_s:g} s") from None
        raise Interrupted(str(error) or type(error).__name__) from None
    except http.client.HTTPException as error:  # IncompleteRead: the connection was cut
        raise Interrupted(f"cut off ({type(error).__name__})") from None
    finally:
        progress.close()
    if total is not None and part.stat().st_size < total:
        raise Interrupted(f"cut off at {part.stat().st_size} of {total} bytes")


def check_space(part: Path, needed: int) -> None:
    if needed > shutil.disk_usage(part.parent).free:
        raise full_disk(part, needed)


def full_disk(part: Path, needed: int | None) -> UserError:
    free = shutil.disk_usage(part.parent).free
    size = f"{needed / 1e6:.1f} MB" if needed else "more space"
    name = part.name.removesuffix(".part")
    return UserError(
        f"{name} needs {size} but {part.parent} has {free / 1e6:.1f} MB free: free"
        " space there, or set data.root to a disk with room (nothing was kept)"
    )


class Progress:
    """A one-line bar on a terminal; nothing in a log file."""

    def __init__(self, name: str, done: int, total: int | None) -> None:
        self.name, self.done, self.total = name, done, total
        self.shown = 0.0
        self.live = sys.stderr.isatty()

    def advance(self, count: int) -> None:
        self.done += count
        if self.live and time.monotonic() - self.shown > 0.2:
            self.shown = time.monotonic()
            share = f"{100 * self.done / self.total:3.0f}% " if self.total else ""
            size = f"{self.done / 1e6:.1f} MB"
            print(f"\r  {self.name} {share}{size}", end="", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.live and self.shown:
            print(file=sys.stderr, flush=True)
