"""`mix`: several datasets trained as one (data.sources, each with a weight).

Every source is loaded as it would be alone, converted to the mix's data.channels and
resized to its data.image_size, and keeps its own validation and test images, so that
each source is scored apart (val/acc/<source>). Labels are one shared class list
(data.labels=shared: every source has the same class names) or the sources' lists one
after another, prefixed by the source (disjoint: "mnist/3", "fashion_mnist/Bag"):
mix_labels.py. An epoch's length and draws: mix_order.py.
"""

import numpy as np

from . import registry
from .arrays import Arrays, split_indices
from .harmonise import harmonised
from .mix_labels import label_space
from .source_keys import named_as_source

SPLITS = ("train", "val", "test")


def tags(sources) -> list[str]:
    """Each source's name in metrics and records: its dataset's, numbered if repeated."""
    names = [source.name for source in sources]
    return [
        n if names[:i].count(n) == 0 else f"{n}_{names[:i].count(n) + 1}"
        for i, n in enumerate(names)
    ]


def download(info, cfg) -> None:
    for index, source in enumerate(cfg.sources):
        with named_as_source(index, source, cfg):
            registry.DATASETS[source.name].source.download(
                registry.DATASETS[source.name], source
            )


def load(info, cfg) -> Arrays:
    parts = []
    for index, source in enumerate(cfg.sources):
        with named_as_source(index, source, cfg):
            parts.append(loaded(source, cfg))
    class_names, maps = label_space(tags(cfg.sources), parts, cfg.labels)
    joined = {
        split: (
            np.concatenate([part[split][0] for part in parts]),
            np.concatenate([maps[i][part[split][1]] for i, part in enumerate(parts)]),
        )
        for split in SPLITS
    }
    sources = [
        {"name": tag, "dataset": source.name, "weight": float(source.weight)}
        | {f"{split}_size": len(part[split][1]) for split in SPLITS}
        | {"classes": len(part["class_names"])}
        | {k: v for k, v in part["notes"].items() if k in ("splits", "skipped")}
        for tag, source, part in zip(tags(cfg.sources), cfg.sources, parts, strict=True)
    ]
    epoch = sum(source["train_size"] for source in sources)
    mix = {"labels": cfg.labels, "epoch_size": epoch, "sources": sources}
    notes = {"mix": mix, "class_names": class_names}
    return Arrays(*joined["train"], *joined["test"], class_names, *joined["val"], notes)


def loaded(source, cfg) -> dict:
    """{split: (images, labels)} of one source, at the mix's channels and size."""
    _, arrays = registry.load_arrays(registry.DATASETS[source.name], source)
    images, labels = arrays.train_images, arrays.train_labels
    if arrays.val_images is None:  # carved as the source alone would carve it
        train, val = split_indices(len(labels), source.val_fraction, source.split_seed)
        splits = {
            "train": (images[train], labels[train]),
            "val": (images[val], labels[val]),
        }
    else:
        splits = {
            "train": (images, labels),
            "val": (arrays.val_images, arrays.val_labels),
        }
    splits["test"] = (arrays.test_images, arrays.test_labels)
    part = {
        split: (harmonised(images, cfg.channels, cfg.image_size), labels)
        for split, (images, labels) in splits.items()
    }
    return part | {"class_names": arrays.class_names, "notes": arrays.notes}


def split_sources(notes: dict) -> dict[str, np.ndarray]:
    """{"val"|"test": each image's source index}; empty unless the data is a mix."""
    if "mix" not in notes:
        return {}
    sources = notes["mix"]["sources"]
    return {
        split: np.repeat(np.arange(len(sources)), [s[f"{split}_size"] for s in sources])
        for split in ("val", "test")
    }
