"""STAND-IN (serve branch) for lexport's exporting/manifest.py: read_manifest(folder)."""

import json
from pathlib import Path

from ..errors import UserError


def read_manifest(folder) -> dict:
    path = Path(folder) / "manifest.json"
    try:
        manifest = json.loads(path.read_text())
    except (OSError, ValueError) as error:
        raise UserError(f"{path} is not a manifest ({error}): export again") from None
    if not isinstance(manifest, dict) or "format" not in manifest:
        raise UserError(f"{path} is not a manifest (no format): export again")
    return manifest
