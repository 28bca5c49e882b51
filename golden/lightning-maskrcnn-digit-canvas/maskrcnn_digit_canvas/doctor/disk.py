"""Free space where a run reads and writes: under data.root (datasets, downloads) and
output_dir (runs, checkpoints). One line per disk, naming the folders on it."""

import shutil
from pathlib import Path

from .findings import Finding

TOO_LITTLE = 256 * 2**20  # a resnet50's checkpoints and records do not fit in less
LITTLE = 2 * 2**30  # enough for small runs; a download or a long run may not fit


def existing(folder: Path) -> Path:
    """`folder`, or the nearest folder above it that exists (where it will be made)."""
    folder = folder.absolute()
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def check(cfg) -> list[Finding]:
    if cfg is None:
        return [Finding("disk", "warn", "not checked: the config could not be read")]
    disks: dict[int, list[str]] = {}  # by device: the keys whose folders are on it
    places = {}
    for key, value in (("data.root", cfg.data.root), ("output_dir", cfg.output_dir)):
        place = existing(Path(value))
        disks.setdefault(place.stat().st_dev, []).append(f"{key}={value}")
        places[place.stat().st_dev] = place
    found = []
    for device, keys in disks.items():
        free = shutil.disk_usage(places[device]).free
        said = f"{free / 2**30:.1f} GB free under {' and '.join(keys)}"
        names = " or ".join(key.split("=")[0] for key in keys)
        fix = f"free space there, or point {names} at a bigger disk"
        if free < TOO_LITTLE:
            found.append(Finding("disk", "fail", said, fix))
        elif free < LITTLE:
            found.append(Finding("disk", "warn", said, fix))
        else:
            found.append(Finding("disk", "ok", said))
    return found
