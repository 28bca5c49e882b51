"""Which export serve.py runs: the folder given as export=DIR, or the newest under runs/
it can serve, checked to be an ONNX export of this project's task, its manifest's
values sound (serving/values.py), before anything loads."""

import json
from contextlib import contextmanager
from pathlib import Path

from ..errors import UserError
from ..exporting.manifest import BEST, MANIFEST, read_manifest
from .values import check_files, check_values

MAKE_ONE = f"python export.py ckpt_path=runs/<run>/checkpoints/{BEST} writes one"


def find_export(given: str | None, task: str) -> tuple[Path, dict]:
    """The export folder and its manifest."""
    if given:
        return checked(Path(given), task)
    folder = newest_export(task)
    with newest(folder):
        return checked(folder, task)


@contextmanager
def newest(folder: Path):
    """Around what refuses the newest export (picked without export=): the refusal
    names it as that, so that a broken newest export is mended, not passed over."""
    try:
        yield
    except UserError as error:
        raise UserError(
            f"{error} ({folder} is the newest export under runs/, served without"
            " export=: mend or delete it, or name another with export=DIR)"
        ) from None


def checked(folder: Path, task: str) -> tuple[Path, dict]:
    if folder.name == MANIFEST and folder.is_file():  # the manifest for its folder
        folder = folder.parent
    if not folder.exists():
        raise UserError(f"export={folder}: no such folder; {MAKE_ONE}")
    if not (folder / MANIFEST).is_file():
        raise UserError(
            f"export={folder} is not an export (no manifest.json): give the folder"
            " export.py wrote, runs/<run>/export"
        )
    check_files(folder)  # before read_manifest, which opens the files it names
    manifest = read_manifest(folder)
    if manifest["format"] != "onnx":
        raise UserError(
            f"export={folder} holds {article(manifest['format'])} export; serve.py"
            " runs ONNX with ONNX Runtime: export with export.format=onnx"
        )
    if manifest["task"] != task:
        raise UserError(
            f"export={folder} holds {article(manifest['task'])} model; this project"
            f" serves {task}: serve it from its own project"
        )
    check_values(folder, manifest)
    return folder, manifest


def article(word) -> str:
    return f"{'an' if str(word)[:1].lower() in 'aeiou' else 'a'} {word}"


def newest_export(task: str) -> Path:
    """runs/<run>/export (or any folder under runs/ holding a manifest) written last
    among those that may be ONNX exports of `task` (a broken manifest included, to be
    refused): a newer TorchScript or Paddle export beside them is passed over; none:
    the newest of all, whose refusal says why. Never a *.part folder, where export.py
    is still building and checking one."""
    manifests = [
        *Path("runs").glob("*/*/manifest.json"),
        *Path("runs").glob("*/manifest.json"),
    ]
    found = [p for p in manifests if not p.parent.name.endswith(".part")]
    if not found:
        raise UserError(f"no export under runs/: {MAKE_ONE}, or give export=DIR")
    servable = [p for p in found if not another_kind(p, task)]
    return max(servable or found, key=lambda p: p.stat().st_mtime).parent


def another_kind(path: Path, task: str) -> bool:
    """Whether the manifest at `path` says it is another format's or task's export."""
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False  # broken: it is the newest export's to be refused, if newest
    if not isinstance(manifest, dict):
        return False
    return (
        manifest.get("format", "onnx") != "onnx" or manifest.get("task", task) != task
    )
