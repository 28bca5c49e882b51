"""Every epoch's randomness comes from the run's seed and the epoch number alone.

Shuffling, augmentation and dropout draw from generators re-seeded at the start of each
epoch, so a run resumed from the checkpoint of an earlier epoch repeats the epoch it lost
exactly as it would have run, and ends with the metrics of a run never interrupted.
"""

import numpy as np

SEEDS = 2**32  # what numpy, torch and paddle all accept


def epoch_seed(seed: int, epoch: int) -> int:
    """A well-mixed seed for `epoch` (counted from 0) of a run seeded `seed`."""
    return int(np.random.SeedSequence([seed, epoch]).generate_state(1)[0])
