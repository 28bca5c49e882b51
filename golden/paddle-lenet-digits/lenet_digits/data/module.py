"""The data of a run: download, split, and a paddle.io.DataLoader per split."""

import paddle

from .arrays import named_splits, splits_summary
from .batches import (
    ArrayBatches,
    StreamedBatches,
    WholeBatches,
    WholeLoader,
    keep_batch,
    whole_batches,
)
from .mix import split_sources
from .mix_order import WeightedOrder
from .registry import DATASETS, load_arrays
from .streamed import ImageFiles, loader_workers


class ImageClassificationData:
    def __init__(self, cfg) -> None:
        self.cfg = cfg
        self.info = DATASETS[cfg.name]
        self.class_names: list[str] = []
        self.notes: dict = {}  # what a folder's loading found: splits, skipped files
        self.splits: dict[str, ArrayBatches] = {}

    def prepare_data(self) -> None:
        """Download what is not under data.root yet."""
        self.info.source.download(self.info, self.cfg)

    def setup(self, stage: str = "fit") -> None:
        if self.splits:
            return
        self.info, arrays = load_arrays(self.info, self.cfg)
        splits = named_splits(arrays, self.cfg.val_fraction, self.cfg.split_seed)
        sources = split_sources(arrays.notes)  # a mix: each image's source, to score
        self.splits = {
            name: (
                StreamedBatches(pair[0])
                if isinstance(pair[0], ImageFiles)
                else ArrayBatches(*pair, *([sources[name]] if name in sources else []))
            )
            for name, pair in splits.items()
        }
        self.class_names, self.notes = arrays.class_names, arrays.notes
        streamed = isinstance(arrays.train_images, ImageFiles)
        self.workers = loader_workers(self.cfg.num_workers, streamed)

    def summary(self) -> dict:
        return splits_summary(self.info, self.cfg.root, self.splits, self.notes)

    def loader(self, split: str, shuffle: bool = False, limit=1.0) -> WholeLoader:
        """Batches of `split`; `limit` as Lightning's limit_*_batches: a share or a count."""
        dataset = self.splits[split]
        count = -(-len(dataset) // self.cfg.batch_size)
        if isinstance(limit, float):
            limit = int(count * limit)
        mix = self.notes.get("mix")
        if shuffle and mix:  # each source's share of the epoch by its weight
            sizes = [source["train_size"] for source in mix["sources"]]
            weights = [source["weight"] for source in mix["sources"]]
            shard = (paddle.distributed.get_rank(), paddle.distributed.get_world_size())
            order = WeightedOrder(
                sizes, weights, None, shard
            )  # numpy's, seeded by epoch
            batches = WholeBatches(sampler=order, batch_size=self.cfg.batch_size)
            batches.limit = limit
        else:
            batches = whole_batches(dataset, self.cfg.batch_size, shuffle, limit)
        return WholeLoader(
            dataset,
            batch_sampler=batches,
            collate_fn=keep_batch,
            # Not persistent: paddle draws the workers' seed from numpy's generator
            # when it starts them, so starting them each epoch (after the epoch's
            # seeding, callbacks/seeds.py) keeps a resumed epoch's order exact.
            num_workers=self.workers,
        )
