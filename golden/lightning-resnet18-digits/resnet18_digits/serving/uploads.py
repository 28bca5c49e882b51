"""A /predict request's images: its multipart `file` fields, held to configs/serve.yaml's
limits and decoded as training decoded its images (data/decode.py). What is wrong with
a request is answered 4xx with the reason, never 500: 400 for a malformed request or
an unreadable image or one of a format not served, 411 without a length, 413 for too
much.
"""

from io import BytesIO

import numpy as np
from fastapi import HTTPException, Request
from PIL import ExifTags, Image
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from ..data.decode import BadImage, as_bad_image
from ..exporting.preprocess import decode_images

HOW = "send each image as a multipart form field named file (curl -F file=@image.png)"
# Pillow reads dozens of formats, some through outside programs (EPS: Ghostscript):
# an upload is only ever handed to these decoders
FORMATS = ["PNG", "JPEG", "BMP", "WEBP", "GIF", "TIFF"]
NOT_AN_IMAGE = "not an image of a format served: send PNG, JPEG, BMP, WebP, GIF or TIFF"
TURNED = {5, 6, 7, 8}  # EXIF orientations that swap an image's width and height


async def read_uploads(request: Request, limits, preprocess: dict):
    """([file names], uint8 images N,C,H,W as the manifest's `preprocess` says, [(width,
    height) of each image, upright])."""
    length = request.headers.get("content-length")
    if length is None or not length.isdigit():
        raise HTTPException(411, f"a request needs its Content-Length: {HOW}")
    if int(length) > limits.max_request_mb * 1e6:
        raise HTTPException(
            413,
            f"the request's {int(length):,} bytes are over serve.max_request_mb="
            f"{limits.max_request_mb:g} (MB): send fewer or smaller images",
        )
    try:
        form = await request.form(max_files=limits.max_files, max_fields=100)
    except ClientDisconnect:  # gone mid-upload: nobody reads an answer, nothing to log
        raise HTTPException(
            400, "the client went away before its upload ended"
        ) from None
    except StarletteHTTPException as error:
        if "Too many files" in str(error.detail):
            raise HTTPException(
                413, f"over serve.max_files={limits.max_files} images in one request"
            ) from None
        raise HTTPException(
            400, f"not a multipart form: {error.detail}; {HOW}"
        ) from None
    files = form.getlist("file")
    if not files:
        raise HTTPException(400, f"the request has no field named file: {HOW}")
    if not all(isinstance(f, UploadFile) for f in files):
        raise HTTPException(400, f"a field named file holds text, not a file: {HOW}")
    named = [
        (f.filename or f"file {i + 1}", await f.read()) for i, f in enumerate(files)
    ]
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
            if not small:
                raise HTTPException(
                    413,
                    f"{name}: {width}x{height} pixels, over serve.max_pixels="
                    f"{limits.max_pixels:,}: send a smaller image",
                )
            if turned:
                width, height = height, width
            pixels = decode_images([data], preprocess, FORMATS)[0]
            decoded.append((pixels, (width, height)))
        except BadImage as error:
            reason = NOT_AN_IMAGE if "UnidentifiedImageError" in str(error) else error
            raise HTTPException(
                400, f"{name}: cannot read this image ({reason})"
            ) from None
    return decoded
