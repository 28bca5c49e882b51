"""Every download of the project: each file tried from one mirror after another until one
gives the expected bytes, under a lock so that DDP ranks and parallel runs fetch it once.
When every mirror fails, one message lists each URL tried and why, and the files to
place by hand. Nothing half-written stays: bytes go to `<name>.part`, renamed only once
verified, and folders made for a download that failed are removed again.
"""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import UserError
from .checksums import mismatch
from .fetch import Unavailable, fetch_url
from .folder_lock import locked_folder

MIRRORS_ENV = "DATA_MIRRORS"  # an organisation's mirrors: base URLs, space-separated
ONLY_ENV = "DATA_MIRRORS_ONLY"  # =1: never the official hosts (an air-gapped site)
HOW_TO_MIRROR = f"data.mirrors=[URL] or {MIRRORS_ENV}=URL"


def mirror_bases(mirrors: list[str], official: list[str]) -> list[str]:
    """Base URLs in the order tried: data.mirrors, then $DATA_MIRRORS, then official."""
    raw_env = os.environ.get(MIRRORS_ENV, "")
    from_env = raw_env.replace(",", " ").split()
    given = f"data.mirrors=[{','.join(mirrors)}]"
    refuse_non_urls(mirrors, given, "data.mirrors=[https://host/data/]")
    refuse_non_urls(
        from_env, f"{MIRRORS_ENV}={raw_env}", f"{MIRRORS_ENV}=https://host/data/"
    )
    if os.environ.get(ONLY_ENV) == "1":
        official = []
    return list(
        dict.fromkeys(b.rstrip("/") + "/" for b in [*mirrors, *from_env, *official])
    )


def refuse_archive_url(cfg) -> None:
    """data.url names an archive of one's own images; a catalog dataset has mirrors."""
    if cfg.url:
        raise UserError(
            f"data.url={cfg.url} names an archive of your own images (data=imagefolder);"
            f" data={cfg.name} has its own hosts: give a mirror as data.mirrors=[URL]"
        )


def web_url(url: str) -> bool:
    """What is downloaded: http or https, from a named host (not file:, ftp:, http:///x)."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def refuse_non_urls(bases: list[str], given: str, example: str) -> None:
    """Mirrors are servers, named by base URL: a path is not one (files already on this
    machine go in data.root, where every dataset looks first)."""
    for base in bases:
        if not web_url(base):
            raise UserError(
                f"{given}: {base} is not a mirror: give http:// or https:// base URLs"
                f" of servers holding the files, e.g. {example}"
            )


def refuse_other_schemes(url: str, key: str) -> None:
    if not web_url(url):
        raise UserError(
            f"{key}={url}: only http:// and https:// URLs are downloaded; give a file"
            " on this machine as a plain path"
        )


def ensure_files(folder: Path, files: dict, timeout_s: float) -> None:
    """Make each file of `files` ({name: (MD5 or sha256 or None, URLs to try in order)})
    present in `folder` and verified, downloading the missing ones."""
    for name, (checksum, _) in files.items():
        if (folder / name).exists() and checksum:
            refuse_if_changed(folder / name, checksum)
    if all((folder / name).exists() for name in files):
        return
    with locked_folder(folder):
        for name, (checksum, urls) in files.items():
            if not (folder / name).exists():  # another process may have fetched it
                fetch_from_mirrors(folder, name, urls, checksum, timeout_s, files)


def refuse_if_changed(path: Path, checksum: str) -> None:
    if found := mismatch(path, checksum):
        raise UserError(
            f"{path} is not the expected file ({found}, expected {checksum}): delete it"
            " to download it again, or set data.verify_checksums=false to use it as is"
        )


def fetch_from_mirrors(folder, name, urls, checksum, timeout_s, files) -> None:
    part, tried = folder / f"{name}.part", []
    if not urls:
        raise UserError(f"{ONLY_ENV}=1 and no mirror given: set {HOW_TO_MIRROR}")
    for url in urls:
        print(f"downloading {url} -> {folder / name}", file=sys.stderr, flush=True)
        try:
            fetch_url(url, part, timeout_s)
            if checksum and (found := mismatch(part, checksum, folder / name)):
                raise Unavailable(f"corrupt: {found}, expected {checksum}")
            part.replace(folder / name)
            return
        except Unavailable as reason:
            tried.append(f"{url} ({reason})")
        finally:
            part.unlink(missing_ok=True)
    if all(" (corrupt: " in attempt for attempt in tried):  # reached, but not the file
        raise UserError(
            f"could not download {name}: every copy differs from its checksum: tried"
            f" {'; '.join(tried)}. Is the checksum right (data.sha256 for data.url)?"
            " Or the server now holds another file"
        )
    missing = [n for n in files if not (folder / n).exists()]
    raise UserError(
        f"could not download {name}: tried {'; '.join(tried)}. Offline? Put"
        f" {', '.join(missing)} in {folder}/ yourself, or name a mirror: {HOW_TO_MIRROR}"
    )
