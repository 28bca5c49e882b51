"""The datasets this project can load, by name: image shape, classes and normalisation.

Adding a dataset: a module with `download(info, cfg)` and `load(info, root) -> Arrays`
(see digits.py, the smallest), one entry below, and configs/data/<name>.yaml. Datasets
whose shape comes from their files (entries of None) take `load(info, cfg)` instead.
Your own images need no code: data=imagefolder (class folders) or data=csv (a list);
several datasets train as one with data=mix.
"""

from dataclasses import dataclass, replace
from types import ModuleType

from . import cifar, csv_list, digits, folders, imagenet, mix, mnist
from .arrays import Arrays
from .image_stats import channel_stats


@dataclass(frozen=True)
class DatasetInfo:
    """None: read from the files (shape, classes) and the config (data.channels,
    data.image_size); normalisation then comes from the training images."""

    name: str
    source: ModuleType  # the module that downloads and reads its files
    channels: int | None
    image_size: int | None
    num_classes: int | None
    mean: tuple[float, ...] | None  # per channel, on the 0..1 scale
    std: tuple[float, ...] | None


DATASETS = {
    info.name: info
    for info in [
        DatasetInfo("digits", digits, 1, 8, 10, (0.3053,), (0.3759,)),
        DatasetInfo("mnist", mnist, 1, 28, 10, (0.1307,), (0.3081,)),
        DatasetInfo("fashion_mnist", mnist, 1, 28, 10, (0.2860,), (0.3530,)),
        DatasetInfo(
            "cifar10",
            cifar,
            3,
            32,
            10,
            (0.4914, 0.4822, 0.4465),
            (0.2470, 0.2435, 0.2616),
        ),
        DatasetInfo(
            "cifar100",
            cifar,
            3,
            32,
            100,
            (0.5071, 0.4865, 0.4409),
            (0.2673, 0.2564, 0.2762),
        ),
        DatasetInfo("imagefolder", folders, None, None, None, None, None),
        DatasetInfo("csv", csv_list, None, None, None, None, None),
        DatasetInfo("imagenet", imagenet, None, None, None, None, None),
        DatasetInfo("mix", mix, None, None, None, None, None),
    ]
}


def load_arrays(info: DatasetInfo, cfg) -> tuple[DatasetInfo, Arrays]:
    """The dataset in memory, and its info with every value known: a folder's shape
    and classes from its files, its mean and std from its training images."""
    if info.channels is not None:  # a bundled dataset: fixed files under data.root
        return info, info.source.load(info, cfg.root)
    arrays = info.source.load(info, cfg)
    mean, std = channel_stats(arrays.train_images)
    arrays.notes |= {"mean": list(mean), "std": list(std)}
    _, channels, size, _ = arrays.train_images.shape
    classes = len(arrays.class_names)
    return (
        replace(
            info,
            channels=channels,
            image_size=size,
            num_classes=classes,
            mean=mean,
            std=std,
        ),
        arrays,
    )


def described(name: str, data: dict) -> DatasetInfo:
    """The info a checkpoint's data description stands for (eval, predict, export)."""
    info = DATASETS[name]
    return replace(
        info,
        channels=data["channels"],
        image_size=data["image_size"],
        num_classes=len(data["class_names"]),
        mean=tuple(data.get("mean", info.mean)),  # older checkpoints: the fixed ones
        std=tuple(data.get("std", info.std)),
    )
