"""Where an export goes, and how it gets there whole: built in a sibling `<name>.part`
folder and renamed into place only once written and verified, so the folder a server
reads is never half an export (an older export there is replaced at that moment)."""

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

from ..errors import UserError
from .manifest import MANIFEST


def export_folder(ckpt_path: str, out: str | None) -> Path:
    """export.out, or runs/<run>/export beside the checkpoint's checkpoints/ folder;
    refused before any work when it cannot be written."""
    folder = Path(out) if out else Path(ckpt_path).absolute().parent.parent / "export"
    key = f"export.out={out}" if out else f"export.out=null ({folder})"
    if folder.exists() and not folder.is_dir():
        raise UserError(f"{key} is a file: name a folder (it is made if missing)")
    if folder.is_dir() and not (folder / MANIFEST).is_file() and any(folder.iterdir()):
        raise UserError(
            f"{key} holds files but no manifest.json: name an empty or new folder, or"
            " an earlier export (which is replaced)"
        )
    existing = next(p for p in [folder, *folder.absolute().parents] if p.exists())
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        raise UserError(f"{key}: {existing} is not a folder you can write in")
    return folder


@contextmanager
def building(folder: Path):
    """Yield an empty `<folder>.part` to write into; on success it becomes `folder`
    (replacing an older export), on any failure it is removed."""
    part = folder.with_name(folder.name + ".part")
    shutil.rmtree(part, ignore_errors=True)  # a killed export's leftovers
    part.mkdir(parents=True)
    try:
        yield part
    except BaseException:
        shutil.rmtree(part, ignore_errors=True)
        raise
    old = folder.with_name(folder.name + ".old")
    if folder.exists():
        shutil.rmtree(old, ignore_errors=True)
        os.replace(folder, old)
    os.replace(part, folder)
    shutil.rmtree(old, ignore_errors=True)
