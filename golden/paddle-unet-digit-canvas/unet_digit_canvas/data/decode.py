"""Image files to uint8 arrays (C, size, size), with PIL and numpy only.

Any format PIL reads (PNG, JPEG, BMP, WebP, GIF, TIFF), any mode (gray, RGB, RGBA,
palette, 16-bit), any size: turned upright as its EXIF orientation says, converted to
gray (1 channel) or RGB (3), resized to size x size. Alpha is dropped, as torchvision's
ImageFolder does. A file too large to decode safely is refused from its header.
"""

import os
from contextlib import contextmanager

import numpy as np
from PIL import ExifTags, Image, ImageOps

from ..errors import UserError

SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".webp", ".gif", ".tif", ".tiff"}
MAX_PIXELS = 100_000_000  # 100 megapixels: larger than a camera's photo, not a bomb
Image.MAX_IMAGE_PIXELS = None  # PIL's own guard: read_image's below says more
SIXTEEN_BIT = ("I;16", "I;16B", "I;16L", "I;16N", "I")


class BadImage(Exception):
    """A file that is not a whole image this loader can read: the reason why."""


def read_image(path, channels: int, size: int, formats=None) -> np.ndarray:
    """uint8 (channels, size, size); BadImage for a file that cannot be used, or not of
    `formats` (PIL's names; None: any)."""
    with as_bad_image(), Image.open(path, formats=formats) as image:
        check_pixels(image)
        if image.format == "JPEG":  # decode at 1/2, 1/4 or 1/8 scale when enough
            image.draft("L" if channels == 1 else "RGB", (size, size))
        if image.getexif().get(ExifTags.Base.Orientation, 1) != 1:
            image = ImageOps.exif_transpose(image)  # as the camera was held
        image = to_mode(image, channels)
        if image.size != (size, size):
            image = image.resize((size, size), Image.Resampling.BILINEAR)
        array = np.array(image, dtype=np.uint8)  # writable, as torch wants
    return array[None] if channels == 1 else array.transpose(2, 0, 1)


def probe_image(source, jpeg_only: bool = False) -> int:
    """Open a file (a path, or its bytes as a file object) and read its header only:
    what a streamed dataset checks up front. Its EXIF orientation (1: upright);
    BadImage when even that fails, or, with `jpeg_only` (data.decode=device), when it
    is not a JPEG whatever its name says."""
    with as_bad_image(), Image.open(source) as image:
        check_pixels(image)
        if jpeg_only and image.format != "JPEG":
            raise BadImage(
                f"a {image.format} file: data.decode=device reads JPEG only,"
                " data.decode=cpu any format"
            )
        return image.getexif().get(ExifTags.Base.Orientation, 1)


def cannot_read(path, reason: str, more: str = "") -> UserError:
    """The one message for an image that cannot be used, with its fixes."""
    return UserError(
        f"{path}: cannot read this image ({reason}){more}; fix or remove it, or set"
        " data.skip_corrupt=true to skip unreadable images"
    )


@contextmanager
def as_bad_image():
    """Whatever PIL raises (OSError, SyntaxError, ValueError, ...) as a BadImage."""
    try:
        yield
    except BadImage:
        raise
    except Exception as error:
        raise BadImage(reason(error)) from None


def reason(error: Exception) -> str:
    """Why a file could not be read, in words: a broken link says where it leads."""
    link = getattr(error, "filename", None)
    if isinstance(link, str) and os.path.islink(link) and not os.path.exists(link):
        return f"a broken link to {os.readlink(link)}"
    return f"{type(error).__name__}: {error}"


def check_pixels(image: Image.Image) -> None:
    """Refuse from the header a file too large to decode safely."""
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise BadImage(f"{width}x{height} pixels, above the {MAX_PIXELS:,} cap")


def to_mode(image: Image.Image, channels: int) -> Image.Image:
    """Gray ("L") or RGB. 16-bit values are scaled to 8 bits: PIL's own conversion
    would clip everything above 255 to white."""
    if image.mode in SIXTEEN_BIT:
        values = np.clip(np.asarray(image, dtype=np.int64), 0, 65535) >> 8
        image = Image.fromarray(values.astype(np.uint8), "L")
    elif image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")  # PIL warns when a palette drops transparency
    mode = "L" if channels == 1 else "RGB"
    return image if image.mode == mode else image.convert(mode)
