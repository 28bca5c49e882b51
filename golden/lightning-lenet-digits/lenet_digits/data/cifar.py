"""CIFAR-10 and CIFAR-100: the official python-pickle archives, extracted where
torchvision puts them (<root>/cifar-10-batches-py/), so earlier downloads are reused."""

import pickle
from pathlib import Path

import numpy as np

from ..errors import UserError
from .archives import ensure_unpacked
from .arrays import Arrays
from .download import ensure_files, mirror_bases, refuse_archive_url
from .plain_pickle import load_plain_pickle

SOURCES = {
    "cifar10": {
        "archive": "cifar-10-python.tar.gz",
        "folder": "cifar-10-batches-py",
        "train": [f"data_batch_{i}" for i in range(1, 6)],
        "test": ["test_batch"],
        "labels": b"labels",
        "meta": ("batches.meta", b"label_names"),
        "md5": {  # the archive's, and each file's in it (torchvision's list)
            "cifar-10-python.tar.gz": "c58f30108f718f92721af3b95e74349a",
            "data_batch_1": "c99cafc152244af753f735de768cd75f",
            "data_batch_2": "d4bba439e000b95fd0a9bffe97cbabec",
            "data_batch_3": "54ebc095f3ab1f0389bbae665268c751",
            "data_batch_4": "634d18415352ddfa80567beed471001a",
            "data_batch_5": "482c414d41f54cd18b22e5b47cb7c3cb",
            "test_batch": "40351d587109b95175f43aff81a1287e",
            "batches.meta": "5ff9c542aee3614f3951f8cda6e48888",
        },
    },
    "cifar100": {
        "archive": "cifar-100-python.tar.gz",
        "folder": "cifar-100-python",
        "train": ["train"],
        "test": ["test"],
        "labels": b"fine_labels",
        "meta": ("meta", b"fine_label_names"),
        "md5": {
            "cifar-100-python.tar.gz": "eb9058c3a382ffc7106e4002c42a8d85",
            "train": "16019d7e3df5f24257cddd939b257f8d",
            "test": "f0ef6b0ae62326f3e7ffdfab6717acfc",
            "meta": "7973b15100ade9c7d40fb424638fde48",
        },
    },
}
OFFICIAL_HOST = "https://www.cs.toronto.edu/~kriz/"


def download(info, cfg) -> None:
    """The batches, unpacked from the archive where missing (downloaded where missing),
    and each checked against its official MD5 before it is read."""
    refuse_archive_url(cfg)
    source, root = SOURCES[info.name], Path(cfg.root)
    folder, archive = root / source["folder"], source["archive"]
    md5 = source["md5"] if cfg.verify_checksums else dict.fromkeys(source["md5"])
    needed = source["train"] + source["test"] + [source["meta"][0]]
    if not all((folder / name).exists() for name in needed):
        urls = [base + archive for base in mirror_bases(cfg.mirrors, [OFFICIAL_HOST])]
        ensure_files(root, {archive: (md5[archive], urls)}, cfg.download_timeout)
    ensure_unpacked(root / archive, folder, {name: md5[name] for name in needed})


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
