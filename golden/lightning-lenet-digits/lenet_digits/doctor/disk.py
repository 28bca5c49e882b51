"""Free space where a run reads and writes: under data.root (datasets, downloads) and
output_dir (runs, checkpoints). One line per disk, naming the folders on it; a folder
on a file system the kernel makes up (/proc, /sys: no size at all) is not on a disk."""

import shutil
from pathlib import Path

from .dataset import OFF_DISK
from .findings import Finding

TOO_LITTLE = 256 * 2**20  # a resnet50's checkpoints and records do not fit in less
LITTLE = 2 * 2**30  # enough for small runs; a download or a long run may not fit


def existing(folder: Path) -> Path:
    """`folder`, or the nearest folder above it that exists (where it will be made)."""
    folder = folder.absolute()
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def mount_point(place: Path) -> Path:
    """The folder `place`'s file system is mounted at: the highest one on its device."""
    device = place.stat().st_dev
    while place != place.parent and place.parent.stat().st_dev == device:
        place = place.parent
    return place


def file_system(mount: Path) -> str:
    """Its type as the kernel lists it ("proc", "sysfs"), or "" where none lists it."""
    try:
        mounts = Path("/proc/self/mounts").read_text().splitlines()
    except OSError:
        return ""
    types = {line.split()[1]: line.split()[2] for line in mounts if line.count(" ") > 2}
    return types.get(str(mount), "")


def check(cfg) -> list[Finding]:
    if cfg is None:
        return [Finding("disk", "warn", "not checked: the config could not be read")]
    disks: dict[int, list[str]] = {}  # by device: the keys whose folders are on it
    places = {}
    used = [("output_dir", cfg.output_dir)]
    if cfg.data.name not in OFF_DISK:
        used.insert(0, ("data.root", cfg.data.root))
    for key, value in used:
        place = existing(Path(value))
        disks.setdefault(place.stat().st_dev, []).append(f"{key}={value}")
        places[place.stat().st_dev] = place
    found = []
    for device, keys in disks.items():
        usage = shutil.disk_usage(places[device])
        free, names = usage.free, " or ".join(key.split("=")[0] for key in keys)
        if usage.total == 0:  # no blocks at all: the kernel's files, not a disk's
            mount = mount_point(places[device])
            kind = file_system(mount) or "no size"
            said = f"{' and '.join(keys)}: not a disk, {mount} is a kernel file system"
            said += f" ({kind})"
            fix = f"point {names} at a folder on a disk"
            found.append(Finding("disk", "fail", said, fix))
            continue
        said = f"{free / 2**30:.1f} GB free under {' and '.join(keys)}"
        fix = f"free space there, or point {names} at a bigger disk"
        if free < TOO_LITTLE:
            found.append(Finding("disk", "fail", said, fix))
        elif free < LITTLE:
            found.append(Finding("disk", "warn", said, fix))
        else:
            found.append(Finding("disk", "ok", said))
    return found
