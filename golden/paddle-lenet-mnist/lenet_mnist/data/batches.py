"""Images held in memory as uint8 arrays, served a whole batch per index lookup.

paddle's DataLoader calls the dataset once per index; WholeBatches hands it each batch's
indices as a single index, so one array slice makes the batch.
"""

import numpy as np
from paddle.io import BatchSampler, Dataset


class ArrayBatches(Dataset):
    def __init__(self, images: np.ndarray, labels: np.ndarray) -> None:
        self.images, self.labels = images, labels

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, indices):
        index = np.asarray(indices)
        return self.images[index], self.labels[index]


class WholeBatches(BatchSampler):
    """Each batch's indices as one item; at most `limit` batches (trainer.limit_*)."""

    def __init__(self, dataset, batch_size: int, shuffle: bool, limit: int) -> None:
        super().__init__(dataset, batch_size=batch_size, shuffle=shuffle)
        self.limit = limit

    def __iter__(self):
        for count, indices in enumerate(super().__iter__()):
            if count == self.limit:
                return
            yield [indices]

    def __len__(self) -> int:
        return min(super().__len__(), self.limit)


def keep_batch(items):
    """The DataLoader's collate step: the dataset already built the batch."""
    return items[0]
