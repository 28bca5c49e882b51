"""An export folder's manifest.json: what its model takes (input, preprocessing), what it
answers (outputs, postprocessing, class names), where it came from and how it was
verified. Written last and whole, so a folder with a manifest holds a whole export."""

import hashlib
import json
import os
import platform
from importlib import metadata
from pathlib import Path

from .. import BACKEND
from ..errors import UserError

MANIFEST = "manifest.json"
KEYS = ("format", "files", "task", "backend", "input", "preprocess", "outputs")
KEYS += ("postprocess", "class_names", "opset", "source", "versions", "verification")
BEST = "best.ckpt" if BACKEND == "lightning" else "best.pdparams"  # this twin's
AGAIN = f"export again: python export.py ckpt_path=runs/<run>/checkpoints/{BEST}"


def read_manifest(folder) -> dict:
    """The manifest of `folder`; a UserError (one line) when it is missing or broken,
    or names a file the folder lacks."""
    path = Path(folder) / MANIFEST
    if not path.is_file():
        what = "no such folder" if not Path(folder).is_dir() else f"no {MANIFEST}"
        raise UserError(f"export={folder}: {what}; {AGAIN}")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise UserError(f"{path} is not JSON ({error}); {AGAIN}") from None
    missing = [
        key for key in KEYS if not isinstance(manifest, dict) or key not in manifest
    ]
    if missing:
        raise UserError(f"{path} lacks {', '.join(missing)}; {AGAIN}")
    for name in manifest["files"]:
        if not (Path(folder) / name).is_file():
            raise UserError(f"{path} names {name}, which {folder} lacks; {AGAIN}")
    return manifest


def write_manifest(folder, manifest: dict) -> None:
    """manifest.json in `folder`, written to a .part file and renamed: whole or absent."""
    path = Path(folder) / MANIFEST
    part = path.with_name(MANIFEST + ".part")
    part.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    os.replace(part, path)


def source_of(path: str) -> dict:
    """The checkpoint as given, and its sha256: which weights the export holds."""
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return {"checkpoint": str(path), "sha256": digest.hexdigest()}


def versions_of(*packages: str) -> dict:
    """Python's version and each installed package's (null when not installed)."""
    found = {"python": platform.python_version()}
    for package in packages:
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = None
    return found
