"""The per-channel mean and std a network's inputs are normalised with, measured on the
training images of a dataset whose statistics are not known in advance."""

import numpy as np

# uint8 pixels read at a time: the only memory beyond the images
CHUNK_BYTES = 256 << 20


def channel_stats(images, most: int = 10_000) -> tuple[tuple, tuple]:
    """Per-channel mean and std on the 0..1 scale, from every `len // most`-th image
    (enough for 3 decimals, and quick). `images`: uint8 (N, C, H, W), in memory or
    ImageFiles; read in chunks and counted per pixel value (a histogram per channel),
    so no float copy of the images is ever made, whatever their number and size."""
    step = max(1, len(images) // most)
    n, channels = len(images), images.shape[1]
    per_image = int(np.prod(images.shape[1:]))
    rows = max(1, CHUNK_BYTES // per_image) * step  # image rows one chunk spans
    counts = np.zeros((channels, 256), np.int64)
    for start in range(0, n, rows):
        chunk = np.asarray(images[start : min(n, start + rows) : step])
        for c in range(channels):
            counts[c] += np.bincount(chunk[:, c].ravel(), minlength=256)
    values = np.arange(256) / 255
    total = counts.sum(axis=1)
    mean = counts @ values / total
    var = (counts * (values - mean[:, None]) ** 2).sum(axis=1) / total
    return tuple(round(float(m), 4) for m in mean), tuple(
        round(max(float(np.sqrt(v)), 1e-3), 4) for v in var
    )
