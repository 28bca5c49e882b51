"""The datasets this project can load, by name: image shape, classes and normalisation.

Adding a dataset: a module with `download(info, cfg)` and `load(info, root) -> Arrays`
(see digits.py, the smallest), one entry below, and configs/data/<name>.yaml.
"""

from dataclasses import dataclass
from types import ModuleType

from . import cifar, digits, mnist


@dataclass(frozen=True)
class DatasetInfo:
    name: str
    source: ModuleType  # the module that downloads and reads its files
    channels: int
    image_size: int
    num_classes: int
    mean: tuple[float, ...]  # per channel, on the 0..1 scale
    std: tuple[float, ...]


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
    ]
}
