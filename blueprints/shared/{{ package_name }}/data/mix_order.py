"""The order of a mix's training images in one epoch: each source drawn by its weight.

An epoch is as long as all the sources' training sets together (the sum of their
train sizes, whatever the weights). Source i gets round(epoch * weight_i / sum of
weights) of its places (largest remainders settle the rounding); its images fill
them in a shuffled order, repeating (reshuffled) when the places outnumber them, so a
small source with a large weight is seen several times an epoch, and a large one with a
small weight shows a different part each epoch. The draws come from a generator seeded
by the run's seed and the epoch alone (seeds.py): a resumed epoch repeats exactly.
On several processes each takes its share of that one order, as DistributedSampler does.
"""

import numpy as np

from ..seeds import SEEDS, epoch_seed


class WeightedOrder:
    """A sampler: indices into the mix's training set (its sources one after another).
    `seed` None: each epoch's generator is seeded from numpy's global one, which the
    Paddle twin re-seeds as each epoch begins. `shard`: (rank, processes); each process
    takes every processes-th place, the order padded by its start to an equal share."""

    def __init__(self, sizes, weights, seed: int | None, shard=(0, 1)) -> None:
        self.sizes, self.weights, self.seed, self.epoch = sizes, weights, seed, 0
        self.rank, self.replicas = shard

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch

    def __len__(self) -> int:
        return -(-sum(self.sizes) // self.replicas)

    def __iter__(self):
        whole = np.resize(self.order(), len(self) * self.replicas)
        return iter(whole[self.rank :: self.replicas].tolist())

    def order(self) -> np.ndarray:
        if self.seed is None:
            rng = np.random.default_rng(np.random.randint(SEEDS, dtype=np.int64))
        else:
            rng = np.random.default_rng(epoch_seed(self.seed, self.epoch))
        offsets = np.cumsum([0, *self.sizes])
        draws = [
            offsets[i] + places_of(size, count, rng)
            for i, (size, count) in enumerate(
                zip(self.sizes, self.counts(), strict=True)
            )
        ]
        return rng.permutation(np.concatenate(draws))

    def counts(self) -> np.ndarray:
        """Each source's places in the epoch, in proportion to its weight."""
        epoch = sum(self.sizes)
        shares = epoch * np.asarray(self.weights, dtype=float) / sum(self.weights)
        counts = np.floor(shares).astype(int)
        rest = np.argsort(counts - shares, kind="stable")[: epoch - counts.sum()]
        counts[rest] += 1
        return counts


def places_of(size: int, count: int, rng) -> np.ndarray:
    """`count` indices below `size`: whole shuffles of them, then part of one more."""
    rounds = [rng.permutation(size) for _ in range(-(-count // size))]
    return np.concatenate(rounds)[:count] if rounds else np.empty(0, dtype=int)
