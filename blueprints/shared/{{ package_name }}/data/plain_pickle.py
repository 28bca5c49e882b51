"""Read a pickle that may only hold plain data: dicts, lists, bytes, strings, numbers and
numpy arrays. The CIFAR batches are pickles; `pickle.load` would run whatever a file
names (a file placed by hand, a mirror's, or one kept with data.verify_checksums=false),
so every import a file asks for is checked against the few a CIFAR batch needs.
"""

import pickle
from pathlib import Path

import numpy as np

from ..errors import UserError

ALLOWED = {  # (module, name): what CIFAR batches pickled by numpy 1 and 2 refer to
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy.core.numeric", "_frombuffer"),
    ("numpy._core.numeric", "_frombuffer"),
    ("_codecs", "encode"),  # bytes in a protocol-2 pickle written by Python 3
}
NUMPY_2 = int(np.__version__.split(".")[0]) >= 2


def load_plain_pickle(path: Path) -> object:
    with open(path, "rb") as f:
        return PlainUnpickler(f, path).load()


class PlainUnpickler(pickle.Unpickler):
    def __init__(self, file, path: Path) -> None:
        super().__init__(file, encoding="bytes")  # Python 2 strings stay bytes
        self.path = path

    def find_class(self, module: str, name: str):
        if (module, name) not in ALLOWED:
            raise UserError(
                f"{self.path} was refused: it is a pickle that imports {module}.{name},"
                " which could run code and is no part of a dataset file; delete"
                f" {self.path.parent} and use the official archive"
            )
        if module.startswith("numpy.core.") and NUMPY_2:  # moved; the old name warns
            module = module.replace("numpy.core.", "numpy._core.")
        if (module, name) == ("numpy", "dtype"):
            return plain_dtype
        if (module, name) == ("_codecs", "encode"):
            return latin1_encode
        return super().find_class(module, name)


def plain_dtype(spec, align=False, copy=False) -> np.dtype:
    dtype = np.dtype(spec, align, copy)
    if dtype.hasobject:  # arrays of Python objects are pickles again
        raise pickle.UnpicklingError(f"an array of Python objects ({dtype})")
    return dtype


def latin1_encode(text: str, encoding: str) -> bytes:
    if encoding != "latin1":
        raise pickle.UnpicklingError(f"text encoded as {encoding}")
    return text.encode("latin1")
