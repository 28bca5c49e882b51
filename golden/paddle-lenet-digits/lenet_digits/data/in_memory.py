"""Where a dataset's images live while it trains: decoded into memory once (fastest,
while they fit), or left in their files and decoded batch by batch (data/streamed.py).
data.in_memory chooses; auto measures the memory free and prints what it chose.
"""

from pathlib import Path

import numpy as np

from ..errors import UserError
from .image_pool import probe_images, read_images

JPEG = (".jpg", ".jpeg")


def decoded_or_probed(paths: list, cfg) -> tuple[np.ndarray | None, dict[int, str]]:
    """The images decoded into memory, or None when they stay in their files (then
    only their headers are read now); and {index: reason} for the unreadable ones."""
    if cfg.decode == "device":  # each batch is decoded on the GPU: the files stay
        if cfg.in_memory is True:
            raise UserError(
                "data.decode=device decodes each batch on the device, from the files:"
                " set data.in_memory=false (or auto), or data.decode=cpu"
            )
        others = [p for p in paths if Path(p).suffix.lower() not in JPEG]
        if others:
            raise UserError(
                f"{others[0]}: data.decode=device reads JPEG files only, and"
                f" {len(others):,} are not .jpg/.jpeg; set data.decode=cpu"
            )
        print(f"data: {len(paths):,} JPEG files, decoded batch by batch on the device")
        return None, probe_images(paths, jpeg_only=True)
    if memory_decision(len(paths), cfg.channels, cfg.image_size, cfg.in_memory):
        return read_images(paths, cfg.channels, cfg.image_size)
    return None, probe_images(paths)


def memory_decision(count: int, channels: int, size: int, setting) -> bool:
    """data.in_memory: true holds the decoded images in memory (refused when they
    cannot fit), false streams them from their files; auto holds them when they take
    at most half the memory free now, and prints what it measured and chose."""
    needed, available = count * channels * size * size, available_memory()
    if setting is True and available and needed > 0.8 * available:
        raise UserError(
            f"{count:,} images of {channels}x{size}x{size} take {needed / 1e9:.1f} GB"
            f" decoded, and {available / 1e9:.1f} GB of memory is free: set"
            " data.in_memory=false to stream them from disk, or data.image_size lower"
        )
    keep = (not available or needed <= available / 2) if setting == "auto" else setting
    free = f"{available / 1e9:.1f} GB free" if available else "free memory unknown"
    print(
        f"data: {count:,} images take {needed / 1e9:.2f} GB decoded, {free}:"
        f" {'held in memory' if keep else 'streamed from disk'} (data.in_memory={str(setting).lower()})"
    )
    return keep


def available_memory() -> int:
    """Bytes of memory free for this process (Linux: MemAvailable), 0 if unknown."""
    try:
        with open("/proc/meminfo") as f:
            fields = dict(line.split(":", 1) for line in f)
        return int(fields["MemAvailable"].split()[0]) * 1024
    except (OSError, KeyError, ValueError):
        return 0
