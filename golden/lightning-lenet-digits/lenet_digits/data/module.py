"""The LightningDataModule: download, split, serve batches, transform them on the device."""

import pytorch_lightning as pl
import torch
from torch.utils.data import DataLoader, DistributedSampler

from ..speed.apply import channels_last_batches
from .arrays import describe, named_splits, splits_summary
from .batches import EncodedBatches, StreamedBatches, TensorBatches, keep_batch
from .device_decode import decode_batch, warn_without_gpu
from .mix import split_sources
from .mix_order import WeightedOrder
from .normalize import normalize
from .registry import DATASETS, load_arrays
from .streamed import ImageFiles, loader_workers
from .transforms import train_transform


class ShardedOrder(WeightedOrder, DistributedSampler):
    """A mix's order, each process taking its share: as a DistributedSampler, Lightning
    leaves it as it is rather than wrap it in one (which would shard the order drawn for
    the first epoch, every epoch)."""

    @property
    def num_replicas(self) -> int:
        return self.replicas


def split_dataset(images, labels, sources=None):
    """A split's batches: decoded from the files when streamed, else memory slices."""
    if isinstance(images, ImageFiles):
        device = images.decode == "device"
        return EncodedBatches(images) if device else StreamedBatches(images)
    kept = (images, labels) if sources is None else (images, labels, sources)
    return TensorBatches(*map(torch.from_numpy, kept))


class ImageClassificationData(pl.LightningDataModule):
    def __init__(self, cfg, seed: int) -> None:
        super().__init__()
        self.cfg, self.seed = cfg, seed
        self.info = DATASETS[cfg.name]
        self.class_names: list[str] = []
        self.notes: dict = {}  # what a folder's loading found: splits, skipped files
        self.splits: dict[str, TensorBatches] = {}

    def prepare_data(self) -> None:
        """Download once (on one process per machine) what is not under data.root yet."""
        self.info.source.download(self.info, self.cfg)

    def setup(self, stage: str = "fit") -> None:
        if self.splits:
            return
        self.info, arrays = load_arrays(self.info, self.cfg)
        splits = named_splits(arrays, self.cfg.val_fraction, self.cfg.split_seed)
        sources = split_sources(arrays.notes)  # a mix: each image's source, to score
        self.splits = {
            name: split_dataset(*pair, sources.get(name))
            for name, pair in splits.items()
        }
        self.class_names, self.notes = arrays.class_names, arrays.notes
        streamed = isinstance(arrays.train_images, ImageFiles)
        warn_without_gpu(self.cfg.get("decode"))
        self.workers = loader_workers(self.cfg.num_workers, streamed)

    def describe(self) -> dict:
        """What the model must know of its data; checkpoints keep it for predict.py."""
        return describe(self)

    def summary(self) -> dict:
        return splits_summary(self.info, self.cfg.root, self.splits, self.notes)

    def loader(self, split: str, shuffle: bool = False, sampler=None) -> DataLoader:
        return DataLoader(
            self.splits[split],
            batch_size=self.cfg.batch_size,
            shuffle=shuffle,
            sampler=sampler,
            # Its own generator: drawing from torch's would shift the epoch's random
            # numbers by one on a resumed run (seeds.py).
            generator=torch.Generator().manual_seed(self.seed),
            collate_fn=keep_batch,
            num_workers=self.workers,
            pin_memory=torch.cuda.is_available(),
            persistent_workers=self.workers > 0,
        )

    def train_dataloader(self) -> DataLoader:
        """Shuffled by (seed, epoch) alone, so a resumed epoch sees the same order. Under
        DDP, Lightning puts in a DistributedSampler that does the same."""
        mix = self.notes.get("mix")
        if mix:  # each source's share of the epoch by its weight (data/mix_order.py)
            sizes = [source["train_size"] for source in mix["sources"]]
            weights = [source["weight"] for source in mix["sources"]]
            trainer = self.trainer
            shard = (trainer.global_rank, trainer.world_size) if trainer else (0, 1)
            kind = ShardedOrder if shard[1] > 1 else WeightedOrder
            order = kind(sizes, weights, self.seed, shard)
        elif self.trainer is None or self.trainer.world_size > 1:
            return self.loader("train", shuffle=True)
        else:
            order = DistributedSampler(
                self.splits["train"], num_replicas=1, rank=0, seed=self.seed
            )
        order.set_epoch(self.trainer.current_epoch if self.trainer else 0)
        return self.loader("train", sampler=order)

    def val_dataloader(self) -> DataLoader:
        return self.loader("val")

    def test_dataloader(self) -> DataLoader:
        return self.loader("test")

    def transfer_batch_to_device(self, batch, device, dataloader_idx: int):
        """data.decode=device: the batch's JPEG bytes become images on the device."""
        split = self.splits["train"]
        if isinstance(split, EncodedBatches):
            return decode_batch(batch, split.images, device)
        return super().transfer_batch_to_device(batch, device, dataloader_idx)

    def on_after_batch_transfer(self, batch, dataloader_idx: int):
        images, labels, *sources = batch
        if self.trainer is not None and self.trainer.training:
            images, labels = train_transform(images, labels, self.info, self.cfg)
        else:
            images = normalize(images, self.info.mean, self.info.std)
        # the layout the network's weights have on GPUs (speed.channels_last)
        if images.is_cuda and channels_last_batches(self.trainer):
            images = images.contiguous(memory_format=torch.channels_last)
        return images, labels, *sources
