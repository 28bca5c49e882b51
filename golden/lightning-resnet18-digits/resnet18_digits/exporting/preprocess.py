"""The preprocessing contract of an export, as predict.py prepares images: each file
(or its bytes) decoded by data/decode.py's read_image (upright by its EXIF orientation,
converted to gray or RGB, resized bilinearly to the size), giving uint8 (N, C, H, W);
then times `scale` (1/255), minus `mean`, over `std`, per channel, as float32."""

import io

import numpy as np

from ..data.decode import read_image


def decode_images(sources: list, preprocess: dict, formats=None) -> np.ndarray:
    """uint8 (N, C, H, W) from image paths or bytes; data/decode.py's BadImage for one
    that cannot be read, or is not of `formats` (PIL's names; None: any)."""
    channels, (height, width) = preprocess["channels"], preprocess["size"]
    if height != width:  # read_image makes squares, all exports here are square
        raise ValueError(f"preprocess size {height}x{width}: only squares are read")
    images = [
        read_image(
            io.BytesIO(source) if isinstance(source, bytes) else source,
            channels,
            height,
            formats,
        )
        for source in sources
    ]
    return np.stack(images)


def prepare(images: np.ndarray, preprocess: dict) -> np.ndarray:
    """uint8 (N, C, H, W) to the float32 batch the exported model takes."""
    channels = preprocess["channels"]
    if images.ndim != 4 or images.shape[1] != channels:
        raise ValueError(
            f"images of shape {images.shape}: (N, {channels}, H, W) expected"
        )
    mean = np.asarray(preprocess["mean"], np.float32).reshape(1, -1, 1, 1)
    std = np.asarray(preprocess["std"], np.float32).reshape(1, -1, 1, 1)
    # divided by 1/scale (255): the same float32 as the training's images.float() / 255
    scaled = images.astype(np.float32) / np.float32(1 / preprocess["scale"])
    return ((scaled - mean) / std).astype(np.float32)
