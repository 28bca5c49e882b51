"""Image files by path: one file, or every image in a folder (predict.py's inputs)."""

from pathlib import Path

from ..errors import UserError
from .decode import SUFFIXES


def image_paths(inputs: str) -> list[Path]:
    path = Path(inputs)
    if path.is_dir():
        found = sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES)
        if not found:
            kinds = ", ".join(sorted(SUFFIXES))
            raise UserError(f"inputs={inputs}: no {kinds} files inside")
        return found
    if not path.is_file():
        raise UserError(f"inputs={inputs}: no such file or folder")
    return [path]
