"""PyTorch weights (torchvision's ImageNet files) for Paddle networks, without torch.

A `.pth` written by `torch.save` is a zip: a pickle of the state dict whose tensors point
at raw little-endian arrays beside it. The unpickler below rebuilds those tensors with
numpy and refuses every other class, so a file cannot run code (like torch's
`weights_only=True`). Paddle names a few things differently: BatchNorm's running
statistics are `_mean` and `_variance`, and a Linear weight is stored transposed.
"""

import pickle
import zipfile
from collections import OrderedDict
from pathlib import Path

import numpy as np
import paddle

STORAGES = {  # torch's storage classes -> the numpy type of their bytes
    "DoubleStorage": np.float64,
    "FloatStorage": np.float32,
    "HalfStorage": np.float16,
    "LongStorage": np.int64,
    "IntStorage": np.int32,
    "ShortStorage": np.int16,
    "CharStorage": np.int8,
    "ByteStorage": np.uint8,
    "BoolStorage": np.bool_,
}
RENAMED = {"running_mean": "_mean", "running_var": "_variance"}


def is_torch_file(path: Path) -> bool:
    """True for torch.save's zip format (torch 1.6 and later)."""
    if not zipfile.is_zipfile(path):
        return False
    return any(n.endswith("/data.pkl") for n in zipfile.ZipFile(path).namelist())


def read_torch_file(path: Path) -> dict[str, np.ndarray]:
    with zipfile.ZipFile(path) as archive:
        (pickled,) = [n for n in archive.namelist() if n.endswith("/data.pkl")]
        root = pickled.removesuffix("data.pkl")
        with archive.open(pickled) as file:
            return TensorUnpickler(file, archive, root).load()


class TensorUnpickler(pickle.Unpickler):
    def __init__(self, file, archive: zipfile.ZipFile, root: str) -> None:
        super().__init__(file)
        self.archive, self.root = archive, root

    def find_class(self, module: str, name: str):
        if (module, name) == ("collections", "OrderedDict"):
            return OrderedDict
        if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
            return rebuild_tensor
        if module == "torch" and name in STORAGES:
            return STORAGES[name]
        raise pickle.UnpicklingError(f"it holds {module}.{name}, not only tensors")

    def persistent_load(self, saved_id):
        _, dtype, key, _, _ = saved_id  # ("storage", type, key, device, count)
        return np.frombuffer(self.archive.read(f"{self.root}data/{key}"), dtype)


def rebuild_tensor(storage, offset, shape, strides, *_) -> np.ndarray:
    step = storage.itemsize
    view = np.lib.stride_tricks.as_strided(
        storage[offset:], shape, [s * step for s in strides], writeable=False
    )
    return view.copy()


def is_torch_state(state: dict) -> bool:
    """A state dict named the torch way (BatchNorm statistics give it away)."""
    return any(k.rsplit(".", 1)[-1] in (*RENAMED, "num_batches_tracked") for k in state)


def paddle_state(state: dict, network: paddle.nn.Layer) -> dict:
    """Torch's names and layouts -> the network's; step counters are dropped."""
    linear = {
        f"{name}.weight"
        for name, layer in network.named_sublayers()
        if isinstance(layer, paddle.nn.Linear)
    }
    renamed = {}
    for key, value in state.items():
        prefix, _, last = key.rpartition(".")
        if last == "num_batches_tracked":
            continue
        key = f"{prefix}.{RENAMED.get(last, last)}" if prefix else key
        renamed[key] = np.ascontiguousarray(value.T) if key in linear else value
    return renamed
