"""Image files listed by split and class (from class folders or a CSV file) read into
memory: missing splits carved from train, every image decoded, bad ones reported.

Splits the files do not give are carved from train: data.test_fraction first, then
data.val_fraction, from each class alike (stratified), by data.split_seed, so the same
files always split the same way. Class names are sorted (numbers by value: 2 before 10).
"""

import sys
import unicodedata
from pathlib import Path

import numpy as np

from ..errors import UserError
from .arrays import Arrays
from .in_memory import decoded_or_probed
from .streamed import ImageFiles
from .unreadable import UnreadableImages

SPLITS = ("train", "val", "test")
Listed = dict[str, list[tuple[Path, str]]]  # split -> [(file, class name)]


def class_name(text: str) -> str:
    """A class name as recorded: Unicode NFC, so that a folder or label written on a Mac
    (NFD: "e" + an accent) names the same class, and prints the same, as one written
    elsewhere ("é"); a checkpoint's names then match on every machine."""
    return unicodedata.normalize("NFC", text)


def class_order(names) -> list[str]:
    return sorted(
        set(names), key=lambda n: (0, int(n), "") if n.isdigit() else (1, 0, n)
    )


def load_listed(listed: Listed, where: str, cfg) -> Arrays:
    """`listed` holds train and any of val, test; `where` names its source in errors."""
    classes = class_order(name for _, name in listed["train"])
    origin = dict.fromkeys(listed, where)
    for split, key in (("test", "test_fraction"), ("val", "val_fraction")):
        if split not in listed:
            listed[split], listed["train"] = carve(listed["train"], cfg[key], cfg)
            origin[split] = (
                f"carved from train: data.{key}={cfg[key]}, stratified,"
                f" data.split_seed={cfg.split_seed}"
            )
        if not listed[split]:
            raise UserError(
                f"data.{key}={cfg[key]} of {where}'s training images leaves no {split}"
                " images: raise it, or add images"
            )
    files = [item for split in SPLITS for item in listed[split]]
    paths = [path for path, _ in files]
    images, failed = decoded_or_probed(paths, cfg)
    in_memory = images is not None
    skipped = check_failed(paths, failed, cfg.skip_corrupt)
    label_of = {name: label for label, name in enumerate(classes)}
    labels = np.asarray([label_of[name] for _, name in files], np.int64)
    readable = np.ones(len(files), bool)
    readable[list(failed)] = False
    ends = np.cumsum([len(listed[split]) for split in SPLITS])[:-1]
    splits = {}
    for split, members in zip(
        SPLITS, np.split(np.arange(len(files)), ends), strict=True
    ):
        kept = members[readable[members]]
        if len(kept) == 0:
            raise UserError(f"{where}: no readable {split} images are left")
        if not in_memory:
            kept_paths = [paths[i] for i in kept]
            split_images = ImageFiles(kept_paths, labels[kept], cfg)
        elif len(kept) == len(members):  # a view of the decoded images, not a copy
            split_images = images[kept[0] : kept[-1] + 1]
        else:
            split_images = images[kept]
        splits[split] = split_images, labels[kept]
    return Arrays(
        *splits["train"],
        *splits["test"],
        class_names=classes,
        val_images=splits["val"][0],
        val_labels=splits["val"][1],
        notes={
            "class_names": classes,
            "splits": origin,
            "skipped": skipped,
            "in_memory": in_memory,
        },
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
    """Stop naming the first unreadable file (the error holds them all, for
    check_data.py), or with data.skip_corrupt list them all and go on."""
    listed = [{"path": str(paths[i]), "reason": failed[i]} for i in sorted(failed)]
    if listed and not skip:
        raise UnreadableImages(listed)
    if listed:
        print(
            f"skipped {len(listed)} unreadable images (record.json lists them)",
            file=sys.stderr,
        )
    return listed
