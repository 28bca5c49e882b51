"""Which export serve.py runs: the folder given as export=DIR, or the newest under runs/
it can serve, checked to be an ONNX export of this project's task before anything
loads."""

import json
from pathlib import Path

from ..errors import UserError
from ..exporting.manifest import BEST, read_manifest

MAKE_ONE = f"python export.py ckpt_path=runs/<run>/checkpoints/{BEST} writes one"


def find_export(given: str | None, task: str) -> tuple[Path, dict]:
    """The export folder and its manifest."""
    folder = Path(given) if given else newest_export(task)
    if not folder.exists():
        raise UserError(f"export={folder}: no such folder; {MAKE_ONE}")
    if not (folder / "manifest.json").is_file():
        raise UserError(
            f"export={folder} is not an export (no manifest.json): give the folder"
            " export.py wrote, runs/<run>/export"
        )
    manifest = read_manifest(folder)
    if manifest.get("format") != "onnx":
        raise UserError(
            f"export={folder} holds a {manifest.get('format')} export; serve.py runs"
            " ONNX with ONNX Runtime: export with export.format=onnx"
        )
    if manifest.get("task") != task:
        raise UserError(
            f"export={folder} holds a {manifest.get('task')} model; this project serves"
            f" {task}: serve it from its own project"
        )
    return folder, manifest


def newest_export(task: str) -> Path:
    """runs/<run>/export (or any folder under runs/ holding a manifest) written last
    among the ONNX exports of `task`: a newer TorchScript or Paddle export beside them
    is passed over; none: the newest of all, whose refusal says why. Never a *.part
    folder, where export.py is still building and checking one."""
    manifests = [
        *Path("runs").glob("*/*/manifest.json"),
        *Path("runs").glob("*/manifest.json"),
    ]
    found = [p for p in manifests if not p.parent.name.endswith(".part")]
    if not found:
        raise UserError(f"no export under runs/: {MAKE_ONE}, or give export=DIR")
    servable = [p for p in found if servable_by(p, task)]
    return max(servable or found, key=lambda p: p.stat().st_mtime).parent


def servable_by(path: Path, task: str) -> bool:
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False  # left for its own message, if nothing else is servable
    if not isinstance(manifest, dict):
        return False
    return manifest.get("format") == "onnx" and manifest.get("task") == task
