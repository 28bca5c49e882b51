"""CIFAR-10 and CIFAR-100: the official python-pickle archives, extracted where
torchvision puts them (<root>/cifar-10-batches-py/), so earlier downloads are reused."""

import pickle
from pathlib import Path

import numpy as np

from ..errors import UserError
from .archives import unpack
from .arrays import Arrays
from .download import ensure_files, locked_folder, mirror_bases, refuse_archive_url
from .plain_pickle import load_plain_pickle

SOURCES = {
    "cifar10": {
        "archive": "cifar-10-python.tar.gz",
        "md5": "c58f30108f718f92721af3b95e74349a",
        "folder": "cifar-10-batches-py",
        "train": [f"data_batch_{i}" for i in range(1, 6)],
        "test": ["test_batch"],
        "labels": b"labels",
        "meta": ("batches.meta", b"label_names"),
    },
    "cifar100": {
        "archive": "cifar-100-python.tar.gz",
        "md5": "eb9058c3a382ffc7106e4002c42a8d85",
        "folder": "cifar-100-python",
        "train": ["train"],
        "test": ["test"],
        "labels": b"fine_labels",
        "meta": ("meta", b"fine_label_names"),
    },
}
OFFICIAL_HOST = "https://www.cs.toronto.edu/~kriz/"


def download(info, cfg) -> None:
    """The batches, unpacked from the archive, which is downloaded where missing and
    verified before it is unpacked (the batches themselves are read as plain data)."""
    refuse_archive_url(cfg)
    source, root = SOURCES[info.name], Path(cfg.root)
    folder = root / source["folder"]
    needed = source["train"] + source["test"] + [source["meta"][0]]
    if all((folder / name).exists() for name in needed):
        return
    bases = mirror_bases(cfg.mirrors, [OFFICIAL_HOST])
    md5 = source["md5"] if cfg.verify_checksums else None
    archive = source["archive"]
    urls = [base + archive for base in bases]
    ensure_files(root, {archive: (md5, urls)}, cfg.download_timeout)
    with locked_folder(root):
        if not all((folder / name).exists() for name in needed):
            unpack(root / archive, folder)
    if missing := [name for name in needed if not (folder / name).exists()]:
        raise UserError(
            f"{root / archive} holds no {missing[0]}; delete it to download it again"
        )


def load(info, root: str) -> Arrays:
    source = SOURCES[info.name]
    folder = Path(root) / source["folder"]
    train = [read_batch(folder / name, source["labels"]) for name in source["train"]]
    test = [read_batch(folder / name, source["labels"]) for name in source["test"]]
    meta_file, meta_key = source["meta"]
    names = [n.decode() for n in unpickle(folder / meta_file)[meta_key]]
    return Arrays(
        np.concatenate([images for images, _ in train]),
        np.concatenate([labels for _, labels in train]),
        np.concatenate([images for images, _ in test]),
        np.concatenate([labels for _, labels in test]),
        names,
    )


def read_batch(path: Path, label_key: bytes) -> tuple[np.ndarray, np.ndarray]:
    batch = unpickle(path)
    try:
        images = np.asarray(batch[b"data"], np.uint8).reshape(-1, 3, 32, 32)
        labels = np.asarray(batch[label_key], np.int64)
    except (KeyError, ValueError) as error:
        raise UserError(
            f"{path} is not a CIFAR batch ({error}); delete its folder"
        ) from None
    return images, labels


def unpickle(path: Path) -> dict:
    try:
        batch = load_plain_pickle(path)
    except FileNotFoundError:
        raise UserError(
            f"{path} is missing: delete {path.parent} to unpack again"
        ) from None
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError) as error:
        raise UserError(f"{path} is corrupt ({error}); delete {path.parent}") from None
    if not isinstance(batch, dict):
        raise UserError(f"{path} is not a CIFAR batch (no dict); delete {path.parent}")
    return batch
