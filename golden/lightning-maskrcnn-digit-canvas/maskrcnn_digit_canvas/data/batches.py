"""Images held in memory as uint8 tensors, served a whole batch per index lookup.

One tensor slice per batch instead of one Python call and one collate per image: the
loader stays far ahead of the model without worker processes.
"""

import torch
from torch.utils.data import Dataset


class TensorBatches(Dataset):
    """Images and labels (and, in a mix's val and test splits, each image's source)."""

    def __init__(self, *tensors: torch.Tensor) -> None:
        self.tensors = tensors

    @property
    def images(self):
        return self.tensors[0]

    @property
    def labels(self):
        return self.tensors[1]

    def __len__(self) -> int:
        return len(self.tensors[0])

    def __getitem__(self, index: int) -> tuple[torch.Tensor, ...]:
        return tuple(tensor[index] for tensor in self.tensors)

    def __getitems__(self, indices: list[int]) -> tuple[torch.Tensor, ...]:
        index = torch.as_tensor(indices)
        return tuple(tensor[index] for tensor in self.tensors)


class StreamedBatches(TensorBatches):
    """Images left in their files (data/streamed.py), decoded a batch per lookup in
    a worker process; with data.skip_corrupt a batch may come back short."""

    def __init__(self, files) -> None:
        super().__init__(files, torch.from_numpy(files.labels))

    def __getitem__(self, index: int) -> tuple[torch.Tensor, ...]:
        return self.__getitems__([index])

    def __getitems__(self, indices: list[int]) -> tuple[torch.Tensor, ...]:
        return tuple(map(torch.from_numpy, self.images.read(indices)))


class EncodedBatches(StreamedBatches):
    """data.decode=device: each batch's JPEG files as bytes, decoded on the device
    (data/device_decode.py)."""

    def __getitems__(self, indices: list[int]) -> tuple[torch.Tensor, ...]:
        return tuple(map(torch.from_numpy, self.images.read_bytes(indices)))


def keep_batch(batch):
    """The DataLoader's collate step: __getitems__ already built the batch."""
    return batch
