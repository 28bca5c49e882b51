"""Images held in memory as uint8 arrays, served a whole batch per index lookup.

paddle's DataLoader calls the dataset once per index; the samplers here hand it each
batch's indices as a single index, so one array slice makes the batch.
"""

import os
import signal
import threading

import numpy as np
import paddle
from paddle.io import BatchSampler, DataLoader, Dataset, DistributedBatchSampler


class ArrayBatches(Dataset):
    """Images and labels (and, in a mix's val and test splits, each image's source)."""

    def __init__(self, *arrays: np.ndarray) -> None:
        self.arrays = arrays

    @property
    def images(self):
        return self.arrays[0]

    @property
    def labels(self):
        return self.arrays[1]

    def __len__(self) -> int:
        return len(self.arrays[0])

    def __getitem__(self, indices):
        index = np.asarray(indices)
        return tuple(array[index] for array in self.arrays)


class StreamedBatches(ArrayBatches):
    """Images left in their files (data/streamed.py), decoded a batch per lookup in
    a worker process; with data.skip_corrupt a batch may come back short."""

    def __init__(self, files) -> None:
        super().__init__(files, files.labels)

    def __getitem__(self, indices):
        return self.images.read(indices)


class OneItemPerBatch:
    """Each batch's indices as one item; at most `limit` batches (trainer.limit_*)."""

    limit: int

    def __iter__(self):
        for count, indices in enumerate(super().__iter__()):
            if count == self.limit:
                return
            yield [indices]

    def __len__(self) -> int:
        return min(super().__len__(), self.limit)


class WholeBatches(OneItemPerBatch, BatchSampler):
    pass


class ShardedWholeBatches(OneItemPerBatch, DistributedBatchSampler):
    pass  # one shard per process under paddle.distributed.launch


def whole_batches(dataset, batch_size: int, shuffle: bool, limit: int):
    if paddle.distributed.get_world_size() > 1:
        sampler = ShardedWholeBatches(dataset, batch_size, shuffle=shuffle)
    else:
        sampler = WholeBatches(dataset, batch_size=batch_size, shuffle=shuffle)
    sampler.limit = limit
    return sampler


def keep_batch(items):
    """The DataLoader's collate step: the dataset already built the batch."""
    return items[0]


class WholeLoader(DataLoader):
    """paddle's DataLoader, whose worker processes start whole: a SIGINT or SIGTERM
    that comes while an epoch starts them acts once they stand, as paddle cannot
    shut down a half-started iterator (it prints an error at exit)."""

    def __iter__(self):
        if (
            not self.num_workers
            or threading.current_thread() != threading.main_thread()
        ):
            return super().__iter__()
        here, pending = os.getpid(), []
        handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}

        def later(signum, frame) -> None:
            if os.getpid() == here:
                pending.append(signum)
            else:  # a worker process started meanwhile: as the signal would act
                signal.signal(signum, handlers[signum])
                os.kill(os.getpid(), signum)

        for signum in handlers:
            signal.signal(signum, later)
        try:
            return super().__iter__()
        finally:
            for signum, handler in handlers.items():
                signal.signal(signum, handler)
            for signum in pending[:1]:  # delivered again, now to the usual handler
                os.kill(here, signum)
