"""The LightningDataModule of COCO files (data/coco_sets.py): batches of images and
their class masks out (DetectionData in data/detection_data.py: their boxes), the
training batches augmented as data.augment says, the images normalised on the device."""

import pytorch_lightning as pl
import torch
from torch.utils.data import DataLoader

from ..speed.apply import channels_last_batches
from .augmented_batches import (
    AugmentedMasks,
    BatchAugmentation,
    EpochOrder,
    augmenting,
)
from .batches import TensorBatches, keep_batch
from .coco_sets import load_coco, prepare
from .dense_ops import dense_ops
from .image_stats import channel_stats
from .normalize import normalize


class CocoData(pl.LightningDataModule):
    targets = "masks"  # what each image comes with: data/coco_folder.py

    def __init__(self, cfg, seed: int) -> None:
        super().__init__()
        self.cfg, self.seed = cfg, seed
        self.class_names: list[str] = []  # masks: "background" first
        self.notes: dict = {}  # what loading found: carved splits, dropped boxes
        self.splits: dict[str, TensorBatches] = {}

    def prepare_data(self) -> None:
        """Write (digit_canvas) or check what data.root must hold, once per machine."""
        prepare(self.cfg)

    def setup(self, stage: str = "fit") -> None:
        if self.splits:
            return
        arrays = load_coco(self.cfg, self.targets)
        ops = dense_ops(self.cfg.augment)
        augment = BatchAugmentation(ops, self.seed) if ops else None
        self.splits = {
            name: self.batches(images, labels, augment if name == "train" else None)
            for name, (images, labels) in arrays.splits.items()
        }
        self.class_names, self.notes = arrays.class_names, arrays.notes
        self.mean, self.std = channel_stats(arrays.splits["train"][0])
        workers = self.cfg.num_workers  # auto: batches are memory slices, need none
        self.workers = 0 if workers == "auto" else workers

    def batches(self, images, masks, augment) -> TensorBatches:
        images, masks = torch.from_numpy(images), torch.from_numpy(masks)
        if augment:
            return AugmentedMasks(images, masks, augment)
        return TensorBatches(images, masks)

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

    def loader(self, split: str, sampler=None) -> DataLoader:
        return DataLoader(
            self.splits[split],
            batch_size=self.cfg.batch_size,
            sampler=sampler,
            collate_fn=keep_batch,
            num_workers=self.workers,
            pin_memory=torch.cuda.is_available(),
            # Kept workers keep their copy of the data: one that augments starts them
            # each epoch, so they know the epoch (EpochOrder).
            persistent_workers=self.workers > 0 and not augmenting(self.splits[split]),
        )

    def train_dataloader(self) -> DataLoader:
        """Shuffled by (seed, epoch) alone, so a resumed epoch sees the same order;
        under DDP each process takes its share (Lightning keeps a sampler of ours)."""
        trainer = self.trainer
        shard = (trainer.world_size, trainer.global_rank) if trainer else (1, 0)
        order = EpochOrder(self.splits["train"], *shard, seed=self.seed)
        order.set_epoch(self.trainer.current_epoch if self.trainer else 0)
        return self.loader("train", order)

    def val_dataloader(self) -> DataLoader:
        return self.loader("val")

    def test_dataloader(self) -> DataLoader:
        return self.loader("test")

    def on_after_batch_transfer(self, batch, dataloader_idx: int):
        images, labels = batch
        images = normalize(images, self.mean, self.std)
        # the layout the network's weights have on GPUs (speed.channels_last)
        if images.is_cuda and channels_last_batches(self.trainer):
            images = images.contiguous(memory_format=torch.channels_last)
        return images, labels.long() if self.targets == "masks" else labels
