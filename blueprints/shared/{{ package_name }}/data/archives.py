"""Archives (tar, tar.gz, tgz, zip) unpacked safely, once, and their files verified.

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

from ..errors import UserError
from .download import refuse_if_changed
from .folder_lock import locked_folder


def ensure_unpacked(archive: Path, folder: Path, files: dict) -> None:
    """`folder` holding each of `files` ({name: MD5 or sha256, or None}), unpacked from
    `archive` where one is missing, and each verified before it is read."""
    if not all((folder / name).exists() for name in files):  # no lock: may be read-only
        with locked_folder(folder.parent):
            if not all((folder / name).exists() for name in files):
                unpack(archive, folder)
    for name, checksum in files.items():
        if not (folder / name).exists():
            raise UserError(
                f"{archive} holds no {name}; delete it to download it again"
            )
        if checksum:
            refuse_if_changed(folder / name, checksum)


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
        except tarfile.FilterError as error:  # tarfile's own check, past ours
            raise UserError(
                f"{archive} was refused: its member {error.tarinfo.name} is a link out"
                " of the folder it unpacks into, or a device or pipe; nothing was"
                " unpacked"
            ) from None
        except (tarfile.TarError, zipfile.BadZipFile, EOFError, OSError) as error:
            said = str(error).splitlines()[0]  # tarfile lists each method it tried
            raise UserError(
                f"{archive} is corrupt ({said}); delete it to download it again"
            ) from None
        for junk in ("__MACOSX", ".DS_Store"):  # what macOS's Finder adds: never data
            shutil.rmtree(content / junk, ignore_errors=True)
            (content / junk).unlink(missing_ok=True)
        inside = [p for p in content.iterdir() if not p.name.startswith(".")]
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
