"""Checks of a dataset before training: fast, framework-free, both twins.

Fatal (one line, exit 2): a split with no images, labels outside the class list, a
class with no training images. Warnings (printed, kept in record.json under
data.checks; the run goes on): classes more than IMBALANCE times apart in train,
images of val or test that are exact copies of training images (train.py looks when
the images are in memory; check_data.py always), a split smaller than one batch. Unreadable files are found while decoding (listing.py, data.skip_corrupt).
"""

import hashlib
import sys

import numpy as np

from ..errors import UserError
from .streamed import ImageFiles

IMBALANCE = 10  # the largest class this many times the smallest: a warning
EXAMPLES = 3  # duplicates shown by index


def check_splits(datasets: dict, class_names: list[str], batch_size: int) -> dict:
    """train.py's pass over its datasets ({split: a dataset with .images, .labels}):
    warnings go to stderr, the findings to the record."""
    splits = {name: (d.images, d.labels) for name, d in datasets.items()}
    # Copies are found by hashing every image: streamed ones are left to check_data.py.
    streamed = any(isinstance(images, ImageFiles) for images, _ in splits.values())
    found = findings(splits, class_names, batch_size, copies=not streamed)
    for warning in found["warnings"]:
        print(f"warning: {warning}", file=sys.stderr)
    return found


def findings(
    splits: dict, class_names: list[str], batch_size: int, copies: bool = True
) -> dict:
    """{"counts": {split: {class: n}}, "warnings": [...]}; UserError when fatal.
    `splits`: {name: (images (N, C, H, W) uint8, labels)}, numpy arrays or tensors."""
    labels = {name: np.asarray(split[1]) for name, split in splits.items()}
    counts, warnings = {}, []
    sizes = ", ".join(f"{name} {len(values)}" for name, values in labels.items())
    for name, values in labels.items():
        if len(values) == 0:
            carved = name in ("val", "test")  # may be carved from train by a share
            fix = (
                f"raise data.{name}_fraction, or add images" if carved else "add images"
            )
            raise UserError(f"the {name} split has no images ({sizes}): {fix}")
        outside = values[(values < 0) | (values >= len(class_names))]
        if len(outside):
            raise UserError(
                f"{len(outside)} {name} labels are outside the {len(class_names)}"
                f" classes (e.g. {outside[0]}): labels must be 0..{len(class_names) - 1}"
            )
        per_class = np.bincount(values, minlength=len(class_names))
        counts[name] = dict(zip(class_names, map(int, per_class), strict=True))
        if batch_size != "auto" and len(values) < batch_size:  # auto: chosen later
            warnings.append(
                f"the {name} split has {len(values)} images, fewer than one batch"
                f" (data.batch_size={batch_size})"
            )
    train = counts["train"]
    empty = [name for name, count in train.items() if count == 0]
    if empty:
        raise UserError(
            f"classes with no training images: {', '.join(empty[:5])}; add images or"
            " remove the classes"
        )
    largest, smallest = max(train, key=train.get), min(train, key=train.get)
    if train[largest] > IMBALANCE * train[smallest]:
        warnings.append(
            f"imbalanced classes in train: {largest} has {train[largest]} images,"
            f" {smallest} {train[smallest]} (over {IMBALANCE}x); consider more images"
            " of the small classes"
        )
    duplicates = {}
    for name, pairs in (shared_copies(splits) if copies else {}).items():
        duplicates[name] = {"count": len(pairs), "examples": pairs[:EXAMPLES]}
        shown = ", ".join(f"{name}[{i}] = train[{j}]" for i, j in pairs[:EXAMPLES])
        warnings.append(
            f"{len(pairs)} {name} images are exact copies of training images"
            f" (e.g. {shown}): they inflate {name} scores; remove them from one side"
        )
    return {"counts": counts, "duplicates": duplicates, "warnings": warnings}


def shared_copies(splits: dict) -> dict[str, list[tuple[int, int]]]:
    """{split: [(index, train index)]} for val and test images byte-identical to a
    training image (hashes of the uint8 pixels, as the model sees them)."""
    first = {}
    for index, digest in enumerate(digests(splits["train"][0])):
        first.setdefault(digest, index)
    copies = {}
    for name in ("val", "test"):
        if name in splits:
            pairs = [
                (i, first[d])
                for i, d in enumerate(digests(splits[name][0]))
                if d in first
            ]
            if pairs:
                copies[name] = pairs
    return copies


def digests(images, chunk: int = 4096) -> list[bytes]:
    """A hash per image, read a chunk at a time (a streamed split decodes as it goes)."""
    found = []
    for start in range(0, len(images), chunk):
        rows = np.ascontiguousarray(np.asarray(images[start : start + chunk]))
        found += [
            hashlib.blake2b(row, digest_size=16).digest()
            for row in rows.reshape(len(rows), -1)
        ]
    return found
