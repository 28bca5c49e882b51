"""A dataset in memory: uint8 images (N, C, H, W), int64 labels and class names."""

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Arrays:
    train_images: np.ndarray
    train_labels: np.ndarray
    test_images: np.ndarray
    test_labels: np.ndarray
    class_names: list[str]
    val_images: np.ndarray | None = None  # None: carved from train by data.val_fraction
    val_labels: np.ndarray | None = None
    notes: dict = field(
        default_factory=dict
    )  # for the run record: splits, skipped files


def split_indices(
    n: int, val_fraction: float, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Train and validation indices: the same for the same n, fraction and seed, anywhere."""
    order = np.random.default_rng(seed).permutation(n)
    n_val = round(n * val_fraction)
    return np.sort(order[n_val:]), np.sort(order[:n_val])


def named_splits(arrays: Arrays, val_fraction: float, seed: int) -> dict:
    """{"train"|"val"|"test": (images, labels)}: validation carved from training
    unless the dataset has its own."""
    test = (arrays.test_images, arrays.test_labels)
    if arrays.val_images is not None:
        val = (arrays.val_images, arrays.val_labels)
        return {
            "train": (arrays.train_images, arrays.train_labels),
            "val": val,
            "test": test,
        }
    train, val = split_indices(len(arrays.train_labels), val_fraction, seed)
    images, labels = arrays.train_images, arrays.train_labels
    return {
        "train": (images[train], labels[train]),
        "val": (images[val], labels[val]),
        "test": test,
    }


def splits_summary(info, root: str, splits: dict, notes: dict | None = None) -> dict:
    """What the run record keeps about the data: the same keys on both backends."""
    sizes = {f"{name}_size": len(split) for name, split in splits.items()}
    shape = [info.channels, info.image_size, info.image_size]
    summary = {"name": info.name, "root": root, "image_shape": shape, **sizes}
    return summary | (notes or {})


def describe(data) -> dict:
    """What the model must know of its data; checkpoints keep it for eval and predict."""
    info, mix = data.info, data.notes.get("mix")
    sources = {"sources": [s["name"] for s in mix["sources"]]} if mix else {}
    return {
        "channels": info.channels,
        "image_size": info.image_size,
        "class_names": data.class_names,
        "mean": list(info.mean),
        "std": list(info.std),
    } | sources  # a mix's, scored one by one
