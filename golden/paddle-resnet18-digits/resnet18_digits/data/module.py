"""The data of a run: download, split, and a paddle.io.DataLoader per split."""

from paddle.io import DataLoader

from .arrays import split_indices
from .batches import ArrayBatches, WholeBatches, keep_batch
from .registry import DATASETS


class ImageClassificationData:
    def __init__(self, cfg) -> None:
        self.cfg = cfg
        self.info = DATASETS[cfg.name]
        self.class_names: list[str] = []
        self.splits: dict[str, ArrayBatches] = {}

    def prepare_data(self) -> None:
        """Download what is not under data.root yet."""
        self.info.source.download(self.info, self.cfg)

    def setup(self, stage: str = "fit") -> None:
        if self.splits:
            return
        arrays = self.info.source.load(self.info, self.cfg.root)
        train, val = split_indices(
            len(arrays.train_labels), self.cfg.val_fraction, self.cfg.split_seed
        )
        images, labels = arrays.train_images, arrays.train_labels
        self.splits = {
            "train": ArrayBatches(images[train], labels[train]),
            "val": ArrayBatches(images[val], labels[val]),
            "test": ArrayBatches(arrays.test_images, arrays.test_labels),
        }
        self.class_names = arrays.class_names

    def summary(self) -> dict:
        """What the run record keeps about the data."""
        sizes = {f"{name}_size": len(split) for name, split in self.splits.items()}
        shape = [self.info.channels, self.info.image_size, self.info.image_size]
        return {
            "name": self.info.name,
            "root": self.cfg.root,
            "image_shape": shape,
            **sizes,
        }

    def loader(self, split: str, shuffle: bool = False, limit=1.0) -> DataLoader:
        """Batches of `split`; `limit` as Lightning's limit_*_batches: a share or a count."""
        dataset = self.splits[split]
        count = -(-len(dataset) // self.cfg.batch_size)
        if isinstance(limit, float):
            limit = int(count * limit)
        batches = WholeBatches(dataset, self.cfg.batch_size, shuffle, limit)
        return DataLoader(
            dataset,
            batch_sampler=batches,
            collate_fn=keep_batch,
            num_workers=self.cfg.num_workers,
        )
