"""A dataset given as an archive by URL (`data.url`, `data.sha256`): downloaded like every
file (mirrors, verification, lock), unpacked safely once, and reused without the network.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from ..errors import UserError
from .archives import unpack
from .checksums import file_digest, is_checksum, mismatch
from .download import ensure_files, mirror_bases, refuse_other_schemes
from .folder_lock import locked_folder

SUFFIXES = (".tar.gz", ".tgz", ".tar", ".zip")


def unpacked_archive(
    url: str, sha256: str | None, mirrors: list[str], root: Path, timeout_s: float
) -> Path:
    """The folder `root/<archive name>` holding the archive at `url` (an http(s) URL or a
    path on this machine), unpacked once; later calls reuse it without the network. The
    archive comes from each of `mirrors` + its file name first, then from `url` itself.
    """
    name = PurePosixPath(urlsplit(url).path).name
    stem = next((name[: -len(s)] for s in SUFFIXES if name.endswith(s)), None)
    if stem is None:
        raise UserError(f"data.url={url}: name a {', '.join(SUFFIXES)} archive")
    if sha256 is not None and not (is_checksum(sha256) and len(sha256) == 64):
        raise UserError(
            f"data.sha256={sha256}: give its 64 hex digits, as sha256sum FILE prints them"
        )
    remote = bool(urlsplit(url).scheme)  # a URL, not a path on this machine
    archive, folder = (root / name if remote else Path(url).expanduser()), root / stem
    if folder.is_dir():  # unpacked before: from this archive, and the one asked for?
        check_unpacked(url, sha256, archive, folder)
        return folder
    if remote:
        refuse_other_schemes(url, "data.url")
        urls = [base + name for base in mirror_bases(mirrors, official=[])]
        ensure_files(root, {name: (sha256, [*urls, url])}, timeout_s)
    elif not archive.is_file():
        raise UserError(f"data.url={url}: no such file")
    elif sha256 and (found := mismatch(archive, sha256)):
        raise UserError(f"data.url={url} is {found}, not data.sha256={sha256}")
    with locked_folder(root):
        if not folder.is_dir():
            unpack(archive, folder)
            # which archive the folder holds: a later data.url is checked against it
            made_sha = (sha256 or file_digest(archive, "sha256")).lower()
            unpacked_from(folder).write_text(f"{name} {made_sha}\n")
    return folder


@contextmanager
def mended_by_unpacking_again(url: str | None, folder: Path) -> Iterator[None]:
    """A mistake found in `folder`, unpacked from data.url (no class folders, a bad
    list), said with where it came from and how to mend it: the folder is reused as it
    is (offline, and without data.sha256 nothing tells that the archive changed), so a
    mended archive is unpacked only once the folder and the copy downloaded beside it
    are gone. Without data.url the folder is the user's own: the error stays as it is.
    """
    try:
        yield
    except UserError as error:
        if not url:
            raise
        parts = urlsplit(url)
        copy = (
            [folder.with_name(PurePosixPath(parts.path).name)] if parts.scheme else []
        )
        stale = " and ".join(str(path) for path in [folder, *copy])
        raise UserError(
            f"{error} (in the archive data.url={url}: mend it, then delete {stale} to"
            " unpack it again)"
        ) from None


def unpacked_from(folder: Path) -> Path:
    """The note beside an unpacked folder: the archive's name and SHA256."""
    return folder.with_name(f".{folder.name}.unpacked")


def check_unpacked(url: str, sha256: str | None, archive: Path, folder: Path) -> None:
    """Refuse a folder unpacked from another archive than data.url names, or from
    another version of it than data.sha256 says (an older project's unpack, with no
    note beside it, is taken as the archive kept beside it)."""
    name = archive.name
    if unpacked_from(folder).is_file():
        note = unpacked_from(folder).read_text().strip()
        made_from, _, made_sha = note.partition(" ")
    else:
        made_from, made_sha = name, None
    if made_from != name:
        raise UserError(
            f"{folder} holds {made_from} unpacked, not {name}: delete it to unpack"
            f" data.url={url} there, or give another data.root"
        )
    if sha256 and made_sha is None and archive.is_file():
        made_sha = file_digest(archive, "sha256")
    if sha256 and made_sha and made_sha != sha256.lower():
        raise UserError(
            f"{folder} was unpacked from {name} of SHA256 {made_sha}, not"
            f" data.sha256={sha256}: correct data.sha256, or delete {folder} and"
            f" {archive} to download it again"
        )
