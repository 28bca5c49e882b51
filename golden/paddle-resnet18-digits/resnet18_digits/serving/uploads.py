"""A /predict request's images: its `file` fields (serving/multipart.py), each held to
serve.max_pixels and decoded as training decoded its images (data/decode.py). What is
wrong with a request is answered 4xx with the reason, never 500: 400 for an unreadable
image or one of a format not served, 413 for too many pixels.
"""

from io import BytesIO

import numpy as np
from fastapi import HTTPException, Request
from PIL import ExifTags, Image
from starlette.concurrency import run_in_threadpool

from ..data.decode import BadImage, as_bad_image
from ..exporting.preprocess import decode_images
from .multipart import read_files

# Pillow reads dozens of formats, some through outside programs (EPS: Ghostscript):
# an upload is only ever handed to these decoders
FORMATS = ["PNG", "JPEG", "BMP", "WEBP", "GIF", "TIFF"]
NOT_AN_IMAGE = "not an image of a format served: send PNG, JPEG, BMP, WebP, GIF or TIFF"
TURNED = {5, 6, 7, 8}  # EXIF orientations that swap an image's width and height
# Pillow converts these to RGB, not to gray: a gray model's image goes through RGB
VIA_RGB = {"LAB"}


async def read_uploads(request: Request, limits, preprocess: dict):
    """([file names], uint8 images N,C,H,W as the manifest's `preprocess` says, [(width,
    height) of each image, upright])."""
    named = await read_files(request, limits)
    decoded = await run_in_threadpool(decode_all, named, limits, preprocess)
    return (
        [n for n, _ in named],
        np.stack([d[0] for d in decoded]),
        [d[1] for d in decoded],
    )


def decode_all(named: list, limits, preprocess: dict) -> list:
    """(uint8 C,H,W, (width, height)) per (name, bytes); an HTTPException for the
    first that cannot be used, naming it."""
    decoded = []
    for name, data in named:
        if not data:
            raise HTTPException(400, f"{name}: the file is empty")
        try:
            with as_bad_image(), Image.open(BytesIO(data), formats=FORMATS) as image:
                width, height = image.size  # the header's: nothing is decoded yet
                small = width * height <= limits.max_pixels
                # its EXIF only when small: a PNG's getexif() decodes every pixel
                # first, which a bomb of a few MB makes gigabytes
                exif = image.getexif() if small else {}
                turned = exif.get(ExifTags.Base.Orientation, 1) in TURNED
                via_rgb = image.mode in VIA_RGB and preprocess["channels"] == 1
            if not small:
                raise HTTPException(
                    413,
                    f"{name}: {width}x{height} pixels, over serve.max_pixels="
                    f"{limits.max_pixels:,}: send a smaller image",
                )
            if turned:
                width, height = height, width
            if via_rgb:  # then gray as Pillow's "L": ITU-R 601-2 luma, rounded
                rgb = decode_images([data], {**preprocess, "channels": 3}, FORMATS)[0]
                luma = np.tensordot([19595, 38470, 7471], rgb.astype(np.int64), 1)
                pixels = ((luma + 32768) >> 16).astype(np.uint8)[None]
            else:
                pixels = decode_images([data], preprocess, FORMATS)[0]
            decoded.append((pixels, (width, height)))
        except BadImage as error:
            reason = NOT_AN_IMAGE if "UnidentifiedImageError" in str(error) else error
            raise HTTPException(
                400, f"{name}: cannot read this image ({reason})"
            ) from None
    return decoded
