"""Format-exact dataset files (MNIST idx.gz, CIFAR python pickles) made from real images.

The images are scikit-learn's real handwritten digits, resized: the files have exactly
the official layout and byte format, so the emitted download and reading code runs
unchanged against them.
"""

import gzip
import io
import pickle
import tarfile
from pathlib import Path

import numpy as np
from sklearn.datasets import load_digits

MNIST_FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte")
MNIST_FILES += ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")


def real_digits(n: int, size: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """n uint8 digit images of size x size (nearest-neighbour upscaled), and labels."""
    digits = load_digits()
    rng = np.random.default_rng(seed)
    pick = rng.integers(0, len(digits.target), n)
    small = np.round(digits.images[pick] * (255 / 16)).astype(np.uint8)
    rows = np.arange(size) * 8 // size
    return small[:, rows][:, :, rows], digits.target[pick].astype(np.uint8)


def idx_bytes(array: np.ndarray) -> bytes:
    header = bytes([0, 0, 8, array.ndim]) + b"".join(
        int(d).to_bytes(4, "big") for d in array.shape
    )
    return header + array.astype(np.uint8).tobytes()


def mnist_files(n_train: int, n_test: int) -> dict[str, bytes]:
    """The four gzipped idx files of an MNIST-format dataset, by file name."""
    train_x, train_y = real_digits(n_train, 28, seed=1)
    test_x, test_y = real_digits(n_test, 28, seed=2)
    arrays = dict(zip(MNIST_FILES, (train_x, train_y, test_x, test_y), strict=True))
    return {f"{name}.gz": gzip.compress(idx_bytes(a), 1) for name, a in arrays.items()}


def write_mnist(raw: Path, n_train: int = 300, n_test: int = 100) -> None:
    raw.mkdir(parents=True, exist_ok=True)
    for name, content in mnist_files(n_train, n_test).items():
        (raw / name).write_bytes(content)


CIFAR_LAYOUT = {  # classes: folder, training batches, test batch, label key, meta file
    10: ("cifar-10-batches-py", [f"data_batch_{i}" for i in range(1, 6)], "test_batch",
         b"labels", ("batches.meta", b"label_names")),
    100: ("cifar-100-python", ["train"], "test", b"fine_labels",
          ("meta", b"fine_label_names")),
}  # fmt: skip


def cifar_archive(n_train: int = 200, n_test: int = 60, classes: int = 10) -> bytes:
    """cifar-10-python.tar.gz (or CIFAR-100's, for classes=100), as bytes."""
    folder, train_batches, test_batch, label_key, (meta, meta_key) = CIFAR_LAYOUT[
        classes
    ]
    sizes = dict.fromkeys(train_batches, n_train // len(train_batches))
    sizes[test_batch] = n_test
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for seed, (name, n) in enumerate(sizes.items()):
            gray, labels = real_digits(n, 32, seed=10 + seed)
            rgb = np.repeat(gray[:, None], 3, axis=1).reshape(n, 3072)
            batch = {b"data": rgb, label_key: [int(v) % classes for v in labels]}
            add(tar, f"{folder}/{name}", pickle.dumps(batch))
        names = [f"class_{i}".encode() for i in range(classes)]
        add(tar, f"{folder}/{meta}", pickle.dumps({meta_key: names}))
    return buffer.getvalue()


def add(tar: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    tar.addfile(info, io.BytesIO(content))
