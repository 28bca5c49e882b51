"""scikit-learn's 1,797 real 8x8 handwritten digits: ship with the package, need no network."""

import numpy as np

from .arrays import Arrays

TEST_FRACTION = 0.2
SPLIT_SEED = 0  # fixed, so every run and both backends test on the same 360 images


def download(info, cfg) -> None:
    """Nothing to download: the images are inside scikit-learn."""


def load(info, root: str) -> Arrays:
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    images = np.round(digits.images * (255 / 16)).astype(np.uint8)[:, None]
    labels = digits.target.astype(np.int64)
    train, test = train_test_split(
        np.arange(len(labels)),
        test_size=TEST_FRACTION,
        stratify=labels,
        random_state=SPLIT_SEED,
    )
    train, test = np.sort(train), np.sort(test)
    names = [str(n) for n in digits.target_names]
    return Arrays(images[train], labels[train], images[test], labels[test], names)
