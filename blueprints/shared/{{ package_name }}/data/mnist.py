"""MNIST and Fashion-MNIST: gzipped idx files, kept in torchvision's folder layout
(<root>/MNIST/raw/) so files torchvision downloaded before are used as they are."""

import gzip
from pathlib import Path

import numpy as np

from ..errors import UserError
from .arrays import Arrays
from .download import ensure_files, mirror_bases, refuse_archive_url

SOURCES = {
    "mnist": {
        "folder": "MNIST",
        "mirrors": [
            "https://ossci-datasets.s3.amazonaws.com/mnist/",
            "http://yann.lecun.com/exdb/mnist/",
        ],
        "md5": {
            "train-images-idx3-ubyte.gz": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
            "train-labels-idx1-ubyte.gz": "d53e105ee54ea40749a09fcbcd1e9432",
            "t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
            "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c",
        },
        "classes": [str(digit) for digit in range(10)],
    },
    "fashion_mnist": {
        "folder": "FashionMNIST",
        "mirrors": ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"],
        "md5": {
            "train-images-idx3-ubyte.gz": "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
            "train-labels-idx1-ubyte.gz": "25c81989df183df01b3e8a0aad5dffbe",
            "t10k-images-idx3-ubyte.gz": "bef4ecab320f06d8554ea6380940ec79",
            "t10k-labels-idx1-ubyte.gz": "bb300cfdad3c16e7a12a480ee83cd310",
        },
        "classes": [
            "T-shirt/top",
            "Trouser",
            "Pullover",
            "Dress",
            "Coat",
            "Sandal",
            "Shirt",
            "Sneaker",
            "Bag",
            "Ankle boot",
        ],
    },
}


def download(info, cfg) -> None:
    """The four .gz files, downloaded where missing and verified before they are read.
    Files torchvision unpacked (no .gz) are used as they are: their length is checked.
    """
    refuse_archive_url(cfg)
    source = SOURCES[info.name]
    raw = Path(cfg.root) / source["folder"] / "raw"
    bases = mirror_bases(cfg.mirrors, source["mirrors"])
    files = {
        name: (md5 if cfg.verify_checksums else None, [base + name for base in bases])
        for name, md5 in source["md5"].items()
        if not (raw / name.removesuffix(".gz")).exists()
    }
    ensure_files(raw, files, cfg.download_timeout)


def load(info, root: str) -> Arrays:
    raw = Path(root) / SOURCES[info.name]["folder"] / "raw"
    images, labels = ("{}-images-idx3-ubyte", "{}-labels-idx1-ubyte")
    return Arrays(
        read_idx(raw / images.format("train"))[:, None],
        read_idx(raw / labels.format("train")).astype(np.int64),
        read_idx(raw / images.format("t10k"))[:, None],
        read_idx(raw / labels.format("t10k")).astype(np.int64),
        SOURCES[info.name]["classes"],
    )


def read_idx(path: Path) -> np.ndarray:
    """An idx array of unsigned bytes, from `path` or `path.gz`."""
    packed = path.with_name(path.name + ".gz")
    try:
        data = (
            path.read_bytes() if path.exists() else gzip.decompress(packed.read_bytes())
        )
    except FileNotFoundError:
        raise UserError(
            f"{packed} is missing: train.py downloads it, or put it there yourself"
        ) from None
    except (OSError, EOFError) as error:
        raise UserError(
            f"{packed} is corrupt ({error}); delete it to download again"
        ) from None
    ndim = data[3] if len(data) > 4 else 0
    dims = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    if data[:3] != b"\x00\x00\x08" or len(data) != 4 + 4 * ndim + int(np.prod(dims)):
        raise UserError(
            f"{path.name} in {path.parent} is not a complete idx file; delete it"
        )
    # a bytearray, not bytes: torch warns that a read-only array is not writable
    pixels = np.frombuffer(bytearray(data), np.uint8, offset=4 + 4 * ndim)
    return pixels.reshape(dims)
