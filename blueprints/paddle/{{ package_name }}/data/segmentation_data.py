"""The data of a segmentation run: COCO files in (data/coco_sets.py), a
paddle.io.DataLoader of images and class masks per split out. The images stay uint8:
the model normalises them (segmenter.py)."""

from .augmented_batches import AugmentedBatches
from .batches import ArrayBatches, WholeLoader, keep_batch, whole_batches
from .coco_sets import load_coco, prepare
from .dense_ops import dense_ops
from .image_stats import channel_stats


class SegmentationData:
    def __init__(self, cfg) -> None:
        self.cfg = cfg
        self.class_names: list[str] = []  # "background" first
        self.notes: dict = {}  # what loading found: carved splits, dropped boxes
        self.splits: dict[str, ArrayBatches] = {}

    def prepare_data(self) -> None:
        """Write (digit_canvas) or check what data.root must hold, once per machine."""
        prepare(self.cfg)

    def setup(self, stage: str = "fit") -> None:
        if self.splits:
            return
        arrays = load_coco(self.cfg, "masks")
        self.splits = {
            name: ArrayBatches(images, masks)
            for name, (images, masks) in arrays.splits.items()
        }
        ops = dense_ops(self.cfg.augment)  # the train split's alone
        if ops:
            self.splits["train"] = AugmentedBatches(*arrays.splits["train"], ops=ops)
        self.class_names, self.notes = arrays.class_names, arrays.notes
        self.mean, self.std = channel_stats(arrays.splits["train"][0])
        workers = self.cfg.num_workers  # auto: batches are memory slices, need none
        self.workers = 0 if workers == "auto" else workers

    def describe(self) -> dict:
        """What the model must know of its data; checkpoints keep it for predict.py."""
        return {
            "channels": self.cfg.channels,
            "image_size": self.cfg.image_size,
            "class_names": self.class_names,
            "mean": list(self.mean),
            "std": list(self.std),
        }

    def summary(self) -> dict:
        """What the run record keeps about the data: the same keys on both backends."""
        size = self.cfg.image_size
        sizes = {f"{name}_size": len(split) for name, split in self.splits.items()}
        shape = {"image_shape": [self.cfg.channels, size, size]}
        summary = {"name": self.cfg.name, "root": self.cfg.root, **shape, **sizes}
        return summary | self.notes

    def loader(self, split: str, shuffle: bool = False, limit=1.0) -> WholeLoader:
        """Batches of `split`; `limit` as Lightning's limit_*_batches: a share or a count.
        Shuffled by numpy, which callbacks/seeds.py seeds by (seed, epoch) each epoch.
        """
        dataset = self.splits[split]
        if isinstance(limit, float):
            limit = int(-(-len(dataset) // self.cfg.batch_size) * limit)
        return WholeLoader(
            dataset,
            batch_sampler=whole_batches(dataset, self.cfg.batch_size, shuffle, limit),
            collate_fn=keep_batch,
            # Not persistent: paddle draws the workers' seed from numpy's generator
            # when it starts them, so starting them each epoch (after the epoch's
            # seeding) keeps a resumed epoch's order exact.
            num_workers=self.workers,
        )
