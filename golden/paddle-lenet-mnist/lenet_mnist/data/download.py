"""Fetch and unpack files so that a failure or an interruption leaves nothing half-done.

torchvision's downloader writes straight into the final file, so a cut connection leaves a
truncated file that looks present; here bytes go to `<name>.part` and are renamed only
after the checksum matches.
"""

import errno
import hashlib
import shutil
import sys
import tarfile
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from ..errors import UserError

TIMEOUT_S = 30


def fetch(urls: list[str], path: Path, md5: str | None, hint: str) -> None:
    """Download the first of `urls` that answers to `path`, else raise a UserError."""
    for i, url in enumerate(urls):
        try:
            return fetch_one(url, path, md5, hint)
        except UserError:
            if i == len(urls) - 1:
                raise


def fetch_one(url: str, path: Path, md5: str | None, hint: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    print(f"downloading {url} -> {path}", file=sys.stderr, flush=True)
    try:
        with (
            urllib.request.urlopen(url, timeout=TIMEOUT_S) as response,
            open(part, "wb") as out,
        ):
            shutil.copyfileobj(response, out, 1 << 20)
        if md5 is not None and (got := file_md5(part)) != md5:
            raise UserError(
                f"{url} is corrupt or not the expected file (MD5 {got}, expected {md5}); "
                "nothing was kept. Try again, or set data.verify_checksums=false if you "
                "trust this mirror."
            )
        part.replace(path)
    except urllib.error.HTTPError as error:
        raise UserError(
            f"{url} answered HTTP {error.code} {error.reason}. {hint}"
        ) from None
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        reason = getattr(error, "reason", error)
        raise UserError(
            f"could not download {url} ({reason}): offline? {hint}"
        ) from None
    except OSError as error:
        if error.errno != errno.ENOSPC:
            raise
        raise UserError(
            f"disk full while writing {path}; free space or set data.root"
        ) from None
    finally:
        part.unlink(missing_ok=True)


def file_md5(path: Path) -> str:
    digest = hashlib.md5()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def extract(archive: Path, root: Path, folder: str) -> None:
    """Unpack into a scratch folder first, so an interrupted unpack leaves no half folder."""
    with tempfile.TemporaryDirectory(dir=root, prefix=".unpack-") as scratch:
        try:
            with tarfile.open(archive) as tar:
                tar.extractall(scratch, filter="data")
        except (tarfile.TarError, EOFError, OSError) as error:
            raise UserError(
                f"{archive} is corrupt ({error}); delete it to download again"
            ) from None
        if not (Path(scratch) / folder).is_dir():
            raise UserError(
                f"{archive} holds no {folder}/; delete it to download again"
            )
        shutil.rmtree(root / folder, ignore_errors=True)
        (Path(scratch) / folder).rename(root / folder)
