"""Image files listed by split and class (from class folders or a CSV file) read into
memory: missing splits carved from train, every image decoded, bad ones reported.

Splits the files do not give are carved from train: data.test_fraction first, then
data.val_fraction, from each class alike (stratified), by data.split_seed, so the same
files always split the same way. Class names are sorted (numbers by value: 2 before 10).
"""

import sys
from pathlib import Path

import numpy as np

from ..errors import UserError
from .arrays import Arrays
from .image_pool import read_images

SPLITS = ("train", "val", "test")
Listed = dict[str, list[tuple[Path, str]]]  # split -> [(file, class name)]


def class_order(names) -> list[str]:
    return sorted(
        set(names), key=lambda n: (0, int(n), "") if n.isdigit() else (1, 0, n)
    )


def load_listed(listed: Listed, where: str, cfg) -> Arrays:
    """`listed` holds train and any of val, test; `where` names its source in errors."""
    classes = class_order(name for _, name in listed["train"])
    labels = {name: i for i, name in enumerate(classes)}
    origin = dict.fromkeys(listed, f"{where}")
    for split, key in (("test", "test_fraction"), ("val", "val_fraction")):
        if split not in listed:
            listed[split], listed["train"] = carve(listed["train"], cfg[key], cfg)
            origin[split] = f"carved from train: data.{key}={cfg[key]}, stratified"
        if not listed[split]:
            raise UserError(
                f"data.{key}={cfg[key]} of {where}'s training images leaves no {split}"
                f" images: raise it, or add images"
            )
    paths = [path for split in SPLITS for path, _ in listed[split]]
    images, failed = read_images(paths, cfg.channels, cfg.image_size)
    skipped = check_failed(paths, failed, cfg.skip_corrupt)
    split_arrays, start = {}, 0
    for split in SPLITS:
        count = len(listed[split])
        keep = [i for i in range(start, start + count) if i not in failed]
        split_labels = [labels[name] for _, name in listed[split]]
        kept_labels = np.asarray(split_labels, np.int64)[
            np.asarray(keep, np.int64) - start
        ]
        split_arrays[split] = (images[keep], kept_labels)
        start += count
    notes = {"class_names": classes, "splits": origin, "skipped": skipped}
    return Arrays(
        *split_arrays["train"],
        *split_arrays["test"],
        classes,
        *split_arrays["val"],
        notes,
    )


def carve(files: list, fraction: float, cfg) -> tuple[list, list]:
    """(taken, kept): `fraction` of each class's files, chosen by data.split_seed."""
    rng = np.random.default_rng(cfg.split_seed)
    names = np.asarray([name for _, name in files])
    taken = []
    for name in class_order(names):
        members = np.flatnonzero(names == name)
        taken += list(rng.permutation(members)[: round(len(members) * fraction)])
    chosen = set(taken)
    return [files[i] for i in sorted(chosen)], [
        f for i, f in enumerate(files) if i not in chosen
    ]


def check_failed(paths: list, failed: dict, skip: bool) -> list[dict]:
    """Stop at the first unreadable file, or with data.skip_corrupt list them all."""
    listed = [{"path": str(paths[i]), "reason": failed[i]} for i in sorted(failed)]
    if listed and not skip:
        first, more = listed[0], len(listed) - 1
        also = f" ({more} more unreadable files)" if more else ""
        raise UserError(
            f"{first['path']}: cannot read this image ({first['reason']}){also}; fix or"
            " remove it, or set data.skip_corrupt=true to skip unreadable images"
        )
    if listed:
        print(
            f"skipped {len(listed)} unreadable images (record.json lists them)",
            file=sys.stderr,
        )
    return listed
