"""How an export gets to its folder (arguments.py chooses and checks it) whole: built
in a hidden work folder beside it (`.<name>.<random>.part`, a name of this export's own,
so never a user's) and renamed into place only once written and verified, so the folder
a server reads is never half an export. A folder is replaced only when it holds an
earlier export and nothing else; a failure, Ctrl-C or SIGTERM removes what this export
made, and no more.
"""

import errno
import json
import os
import secrets
import shutil
from contextlib import contextmanager, suppress
from pathlib import Path

from ..errors import UserError
from .manifest import KEYS, MANIFEST
from .stopping import signals_held

FRESH = "name an empty or new folder, or an earlier export (which is replaced)"


def refuse_unless_replaceable(folder: Path, key: str) -> None:
    """A folder that is not empty is an earlier export only when its manifest.json has
    the keys export.py writes and the folder holds nothing but the files it lists:
    anything else there (a web app's manifest, a checkpoint) is the user's, and kept."""
    if folder.exists() and not folder.is_dir():
        raise UserError(f"{key} is a file: name a folder (it is made if missing)")
    if not folder.is_dir() or not any(folder.iterdir()):
        return
    if not (folder / MANIFEST).is_file():
        raise UserError(f"{key} holds files but no {MANIFEST}: {FRESH}")
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError):
        manifest = None
    manifest = manifest if isinstance(manifest, dict) else {}
    names = manifest.get("files")
    if not all(k in manifest for k in KEYS) or not isinstance(names, list):
        raise UserError(f"{key} holds a {MANIFEST} that is not an export's: {FRESH}")
    others = sorted(
        p.name
        for p in folder.iterdir()
        if p.name not in (MANIFEST, *names) or p.is_symlink() or not p.is_file()
    )
    if others:
        listed = ", ".join(others[:3]) + (", ..." if len(others) > 3 else "")
        raise UserError(
            f"{key} holds {listed} besides the export its {MANIFEST} lists: move them"
            " out, or name an empty or new folder (an export's folder is replaced whole)"
        )


@contextmanager
def building(folder: Path):
    """Yield an empty work folder to write into; on success it becomes `folder`
    (replacing an earlier export), on any failure or signal the work folder and the
    parent folders made for `folder` are removed."""
    parent = folder.absolute().parent
    made = [p for p in [parent, *parent.parents] if not p.exists()]
    parent.mkdir(parents=True, exist_ok=True)
    part = None
    try:
        part = work_folder(parent, folder.name)
        yield part
        # a signal waits: the swap is not cut in half, and once the export is in place
        # export.py ends as done (exit 0), never saying that no export was written
        with signals_held(for_good=True):
            put_in_place(part, folder)
    except BaseException:
        with signals_held():
            if part:
                shutil.rmtree(part, ignore_errors=True)
            for made_folder in made:  # deepest first; one another export uses stays
                try:
                    made_folder.rmdir()
                except OSError:
                    break
        raise


def put_in_place(part: Path, folder: Path) -> None:
    """Rename `part` to `folder`, an earlier export there first renamed to a hidden
    name of this export's own and removed. Another export finishing at the same moment
    may take the name in between: then again, so that the last one renamed stays.
    What is there is checked again first: files may have come since the start."""
    for _ in range(20):
        refuse_unless_replaceable(folder, f"export.out={folder}")
        old = work_folder(part.parent, folder.name)
        old.rmdir()  # a unique name, free for the rename
        with suppress(FileNotFoundError):  # no earlier export
            os.replace(folder, old)
        try:
            os.replace(part, folder)
            return
        except OSError as error:  # taken again, by an export renamed in meanwhile
            if error.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                raise
        finally:
            if old.is_symlink():  # a link put there meanwhile: rmtree refuses links
                old.unlink()
            shutil.rmtree(old, ignore_errors=True)
    raise OSError(errno.EEXIST, "other exports keep renaming theirs in", str(folder))


def work_folder(parent: Path, name: str) -> Path:
    """A new empty folder `.<name>.<random>.part` in `parent`: this export's alone, as
    mkdir refuses a name taken (serve.py passes over *.part folders). Not tempfile's
    mkdtemp: its folders are private (0700), an export's are the umask's, to be served.
    """
    while True:
        try:
            path = parent / f".{name}.{secrets.token_hex(4)}.part"
            path.mkdir()
            return path
        except FileExistsError:
            continue
