"""COCO segmentations to pixel masks and back: polygons, and run-length encoding (RLE).

COCO stores an object's pixels either as polygons (flat [x1, y1, x2, y2, ...] lists in
pixel coordinates) or as RLE: alternating run lengths of 0s and 1s over the image read
column by column (pycocotools' order), the first run counting 0s. RLE `counts` is a list
of ints ("uncompressed", as crowd regions are usually written) or a string in COCO's
compact encoding (pycocotools' rleToString: 5 bits a character, offset by 48, each count
after the second stored as the difference to the count two before it).

A malformed segmentation raises ValueError with the reason; data/coco.py names the file.
"""

import math

import numpy as np
from PIL import Image, ImageDraw

NOT_A_SEGMENTATION = "neither a list of polygons nor an RLE {size, counts} object"


def annotation_mask(segmentation, height: int, width: int) -> np.ndarray:
    """bool (height, width): the pixels of a list of polygons or an RLE dict."""
    if isinstance(segmentation, dict):
        return rle_to_mask(segmentation, height, width)
    if isinstance(segmentation, list):
        return polygons_to_mask(segmentation, height, width)
    raise ValueError(NOT_A_SEGMENTATION)


def check_segmentation(segmentation, height: int, width: int) -> None:
    """ValueError unless `segmentation` is well formed for an image of this size; what
    annotation_mask checks, without drawing the pixels."""
    if isinstance(segmentation, dict):
        rle_counts(segmentation, height, width)
    elif isinstance(segmentation, list):
        check_polygons(segmentation)
    else:
        raise ValueError(NOT_A_SEGMENTATION)


def polygons_to_mask(
    polygons: list[list[float]], height: int, width: int
) -> np.ndarray:
    """bool (height, width): the polygons filled, edges included (PIL's fill); a
    polygon of fewer than 3 points has no area and is skipped."""
    canvas = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(canvas)
    for points in check_polygons(polygons):
        if len(points) >= 6:
            draw.polygon(list(zip(points[::2], points[1::2], strict=True)), fill=1)
    return np.array(canvas, dtype=bool)


def check_polygons(polygons) -> list[list[float]]:
    """The polygons, each a flat list of an even number of finite numbers."""
    for i, points in enumerate(polygons):
        if not isinstance(points, list) or len(points) % 2:
            raise ValueError(f"polygon {i} is not a flat [x1, y1, x2, y2, ...] list")
        if not all(map(is_number, points)):
            raise ValueError(f"polygon {i} holds a value that is not a finite number")
    return polygons


def is_number(value) -> bool:
    """A finite JSON number (Python's json reads NaN and Infinity; true is no 1)."""
    return type(value) is int or (type(value) is float and math.isfinite(value))


def rle_to_mask(rle: dict, height: int, width: int) -> np.ndarray:
    """bool (height, width) from an RLE dict whose size is [height, width]."""
    counts = rle_counts(rle, height, width)
    runs = np.repeat(np.arange(len(counts)) % 2 == 1, counts)
    return runs.reshape(width, height).T  # stored column by column


def rle_counts(rle: dict, height: int, width: int) -> list[int]:
    """The run lengths of a well-formed RLE dict covering height x width pixels."""
    if rle.get("size") != [height, width]:
        raise ValueError(
            f"RLE size={rle.get('size')} is not the image's [{height}, {width}]"
        )
    counts = rle.get("counts")
    if isinstance(counts, str):
        counts = string_counts(counts)
    elif not (isinstance(counts, list) and all(type(c) is int for c in counts)):
        raise ValueError("RLE counts is neither a list of ints nor a compressed string")
    if any(c < 0 for c in counts) or sum(counts) != height * width:
        raise ValueError(f"RLE counts do not add up to {height} x {width} pixels")
    return counts


def string_counts(text: str) -> list[int]:
    """The run lengths of COCO's compressed RLE string, exactly as pycocotools'
    rleFrString reads them."""
    counts, value, shift = [], 0, 0
    for char in text:
        chunk = ord(char) - 48
        if not 0 <= chunk < 64:
            raise ValueError("RLE counts string holds a character outside '0'..'o'")
        value |= (chunk & 0x1F) << shift
        shift += 5
        if chunk & 0x20:  # more chunks of this number follow
            continue
        if chunk & 0x10:  # the sign bit of the last chunk: negative
            value |= -1 << shift
        counts.append(value + (counts[-2] if len(counts) > 2 else 0))
        value, shift = 0, 0
    if shift:
        raise ValueError("RLE counts string ends in the middle of a number")
    return counts


def mask_to_rle(mask) -> dict:
    """Uncompressed RLE {"size": [h, w], "counts": [...]} of a (h, w) mask, as
    pycocotools reads it (column by column, starting with a run of 0s)."""
    mask = np.asarray(mask, dtype=bool)
    flat = mask.ravel(order="F")
    starts = np.flatnonzero(flat[1:] != flat[:-1]) + 1
    counts = np.diff(np.concatenate([[0], starts, [flat.size]])).tolist()
    if flat.size and flat[0]:
        counts = [0, *counts]  # the first run counts 0s, even when there are none
    return {"size": [int(mask.shape[0]), int(mask.shape[1])], "counts": counts}


def mask_to_polygons(mask) -> list[list[int]]:
    """Polygons that polygons_to_mask turns back into exactly `mask`, holes and all.
    Each row's runs of pixels are chained down the rows (a run continues a chain whose
    last run, one row up, it touches); a chain is outlined through its pixel centres,
    left ends going down, right ends coming up (PIL's fill includes the edges)."""
    steps = np.diff(np.pad(np.asarray(mask, dtype=np.int8), ((0, 0), (1, 1))), axis=1)
    (rows, starts), ends = np.nonzero(steps == 1), np.nonzero(steps == -1)[1]
    runs = zip(rows.tolist(), starts.tolist(), (ends - 1).tolist(), strict=True)
    chains, above, here, current = [], [], [], -1  # above: chains open on the row above
    for y, left, right in runs:  # row by row, left to right
        if y != current:
            above, here, current = here if y == current + 1 else [], [], y
        touching = (c for c in above if c[-1][0] <= right and left <= c[-1][2])
        chain = next(touching, None)
        if chain is None:
            chains.append(chain := [])
        else:
            above.remove(chain)
        chain.append((left, y, right))
        here.append(chain)
    polygons = []
    for chain in chains:  # a chain of one row is flat: its 2 points given twice
        points = [(a, y) for a, y, _ in chain] + [(b, y) for _, y, b in chain[::-1]]
        points *= 1 + (len(points) < 3)
        polygons.append([v for point in points for v in point])
    return polygons
