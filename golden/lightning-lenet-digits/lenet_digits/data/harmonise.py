"""Images of several datasets made alike: the same channels and the same size."""

import numpy as np
from PIL import Image


def harmonised(images: np.ndarray, channels: int, size: int) -> np.ndarray:
    """uint8 (N, C, H, W) images as (N, channels, size, size): gray to RGB by
    repeating, RGB to gray by luminance (as PIL's "L"), resized bilinearly."""
    if images.shape[1] == 1 and channels == 3:
        images = np.repeat(images, 3, axis=1)
    elif images.shape[1] == 3 and channels == 1:
        weights = np.array([0.299, 0.587, 0.114]).reshape(1, 3, 1, 1)
        images = (images * weights).sum(axis=1, keepdims=True).round()
        images = images.astype(np.uint8)
    if images.shape[2:] == (size, size):
        return images
    planes = images.reshape(-1, *images.shape[2:])  # each channel resized alone
    resized = [
        np.asarray(Image.fromarray(plane).resize((size, size), Image.BILINEAR))
        for plane in planes
    ]
    return np.stack(resized).reshape(len(images), channels, size, size)
