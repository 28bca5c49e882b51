"""Image files by path: one file, or every image in a folder (predict.py's inputs), and
read a batch at a time."""

from pathlib import Path

import numpy as np

from ..errors import UserError
from .decode import SUFFIXES, BadImage, read_image


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


def readable_batches(paths: list[Path], channels: int, size: int, batch_size: int, bad):
    """(paths, uint8 images N,C,size,size) of the files that decode, `batch_size` files
    at a time; each file that cannot be read is added to `bad` as (path, why)."""
    for start in range(0, len(paths), batch_size):
        chunk, images = [], []
        for path in paths[start : start + batch_size]:
            try:
                images.append(read_image(path, channels, size))
                chunk.append(path)
            except BadImage as error:  # data/decode.py: unreadable, or too many pixels
                bad.append((path, str(error)))
        if chunk:
            yield chunk, np.stack(images)
