"""The data of a detection run: COCO files in (data/coco_sets.py), a paddle.io
DataLoader out whose batches are images (uint8: the model normalises them) and one
table of all their boxes."""

import numpy as np
from paddle.io import Dataset

from .augmented_batches import AugmentedBatches
from .batches import ArrayBatches, WholeLoader, keep_batch, whole_batches
from .coco_sets import load_coco, prepare
from .dense_ops import dense_ops
from .image_stats import channel_stats


class BoxBatches(Dataset):
    """Images held as one uint8 array, each with its boxes; the samplers hand it a whole
    batch's indices at once (data/batches.py), so every batch is built here, and in the
    train split augmented (data/augmented_batches.py: the boxes move with the pixels).
    """

    def __init__(self, images: np.ndarray, boxes: np.ndarray, ops: list = ()) -> None:
        """`boxes`: an object array, per image float32 (k, 5) of class, x1, y1, x2, y2
        in pixels; `ops`: data.augment's (data/dense_ops.py), none for none."""
        kind = AugmentedBatches if ops else ArrayBatches
        self.source = kind(images, boxes, *([ops] if ops else []))

    def __len__(self) -> int:
        return len(self.source)

    def __getitem__(self, indices) -> tuple[np.ndarray, np.ndarray]:
        """(images, targets): targets (M, 6) of image in the batch, class, and the box
        as centre x, centre y, width, height in pixels (the loss's form)."""
        images, tables = self.source[np.atleast_1d(np.asarray(indices))]
        rows = []
        for position, table in enumerate(tables):
            corner, far = table[:, 1:3], table[:, 3:5]
            image = np.full((len(table), 1), position, np.float32)
            centre, size = (corner + far) / 2, far - corner
            rows.append(np.concatenate([image, table[:, :1], centre, size], 1))
        targets = np.concatenate(rows) if rows else np.zeros((0, 6), np.float32)
        return images, targets.astype(np.float32)


class DetectionData:
    def __init__(self, cfg) -> None:
        self.cfg = cfg
        self.class_names: list[str] = []
        self.notes: dict = {}  # what loading found: carved splits, dropped boxes
        self.splits: dict[str, BoxBatches] = {}

    def prepare_data(self) -> None:
        """Write (digit_canvas) or check what data.root must hold, once per machine."""
        prepare(self.cfg)

    def setup(self, stage: str = "fit") -> None:
        if self.splits:
            return
        arrays = load_coco(self.cfg, "boxes")
        ops = dense_ops(self.cfg.augment)  # the train split's alone
        self.splits = {
            name: BoxBatches(images, boxes, ops if name == "train" else ())
            for name, (images, boxes) in arrays.splits.items()
        }
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
