"""Archives (tar, tar.gz, tgz, zip) unpacked safely, and datasets given as an archive by URL.

Every member is checked before anything is written: a name that climbs out of the target
(`../x`, `/etc/x`) or a link that points out of it refuses the whole archive. Members go
into a scratch folder that is renamed into place only once complete.
"""

import os
import shutil
import tarfile
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from ..errors import UserError
from .checksums import is_checksum, mismatch
from .download import ensure_files, locked_folder, mirror_bases, refuse_other_schemes

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
    folder = root / stem
    if folder.is_dir():
        return folder
    if urlsplit(url).scheme:  # a URL, not a path on this machine
        refuse_other_schemes(url, "data.url")
        urls = [base + name for base in mirror_bases(mirrors, official=[])]
        ensure_files(root, {name: (sha256, [*urls, url])}, timeout_s)
        archive = root / name
    else:
        archive = Path(url).expanduser()
        if not archive.is_file():
            raise UserError(f"data.url={url}: no such file")
        if sha256 and (found := mismatch(archive, sha256)):
            raise UserError(f"data.url={url} is {found}, not data.sha256={sha256}")
    with locked_folder(root):
        if not folder.is_dir():
            unpack(archive, folder)
    return folder


def unpack(archive: Path, folder: Path) -> None:
    """Unpack `archive` as `folder`; an archive holding one folder gives its content."""
    with tempfile.TemporaryDirectory(dir=folder.parent, prefix=".unpack-") as scratch:
        content = Path(scratch) / "content"
        content.mkdir()
        try:
            if archive.name.endswith(".zip"):
                with zipfile.ZipFile(archive) as packed:
                    refuse_escapes(archive, zip_members(packed))
                    packed.extractall(content)
            else:
                with tarfile.open(archive) as packed:
                    refuse_escapes(archive, tar_members(packed))
                    packed.extractall(content, filter="data")
        except (tarfile.TarError, zipfile.BadZipFile, EOFError, OSError) as error:
            raise UserError(
                f"{archive} is corrupt ({error}); delete it to download it again"
            ) from None
        inside = list(content.iterdir())
        top = inside[0] if len(inside) == 1 and inside[0].is_dir() else content
        shutil.rmtree(folder, ignore_errors=True)  # an older, incomplete unpack
        top.rename(folder)


def tar_members(packed: tarfile.TarFile):
    """(name, where it links to, or None) for each member."""
    for member in packed.getmembers():
        if member.issym():
            target = PurePosixPath(member.name).parent / member.linkname
            yield member.name, os.path.normpath(target)
        else:
            yield member.name, member.linkname if member.islnk() else None


def zip_members(packed: zipfile.ZipFile):
    for info in packed.infolist():
        is_link = (info.external_attr >> 16) & 0o170000 == 0o120000
        yield info.filename, (packed.read(info).decode() if is_link else None)


def refuse_escapes(archive: Path, members) -> None:
    for name, link in members:
        if outside(name) or (link is not None and outside(link)):
            what = f"{name} (a link to {link})" if link is not None else name
            raise UserError(
                f"{archive} was refused: its member {what} would land outside the"
                " folder it unpacks into; nothing was unpacked"
            )


def outside(path: str) -> bool:
    normal = os.path.normpath(path)
    return os.path.isabs(path) or normal == ".." or normal.startswith("../")
