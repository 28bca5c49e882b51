"""A split's images left in their files (data.in_memory=false, or auto when they do not
fit): decoded batch by batch while training, by the DataLoader's worker processes.

ImageFiles reads like the uint8 array (N, C, size, size) the in-memory path holds, so
the checks and the normalisation statistics take either; `read` is a training batch.
"""

import io
import sys
from pathlib import Path

import numpy as np

from ..errors import UserError
from .decode import BadImage, as_bad_image, cannot_read, probe_image, read_image
from .image_pool import read_images, usable_cores
from .unreadable import UnreadableImages


class ImageFiles:
    dtype = np.uint8

    def __init__(self, paths: list, labels, cfg):
        """`cfg`: the data config. With data.skip_corrupt a file whose header read but
        whose pixels do not is left out of its batch, else it stops the run."""
        self.paths, self.labels = paths, np.asarray(labels, np.int64)
        self.channels, self.size = cfg.channels, cfg.image_size
        self.skip, self.decode = cfg.skip_corrupt, cfg.decode

    @property
    def shape(self) -> tuple[int, int, int, int]:
        return len(self.paths), self.channels, self.size, self.size

    def __len__(self) -> int:
        return len(self.paths)

    def __getitem__(self, index) -> np.ndarray:
        """The decoded rows `index` picks (a slice or indices), by a pool of processes
        when they are many: for statistics and checks over a split. With skip, an
        unreadable file's row stays black (the rows keep their indices)."""
        paths = np.asarray(self.paths, dtype=object)[index]
        images, failed = read_images(list(paths), self.channels, self.size)
        if failed and not self.skip:  # all of them, for check_data.py to list
            raise UnreadableImages(
                [{"path": str(paths[i]), "reason": failed[i]} for i in sorted(failed)]
            )
        for number in failed:
            self.unreadable(paths[number], failed[number], stop=False)
        return images

    def read(self, indices) -> tuple[np.ndarray, np.ndarray]:
        """One training batch, decoded in this process (a DataLoader worker)."""
        return self.never_empty(self.decoded, indices)

    def read_bytes(self, indices) -> tuple[np.ndarray, ...]:
        """One batch of JPEG files as they are on disk, for data.decode=device: their
        bytes end to end, each one's length and EXIF orientation, labels, indices."""
        return self.never_empty(self.encoded, indices)

    def never_empty(self, read, indices) -> tuple:
        """read(indices); when it keeps no image (each one unreadable, with
        data.skip_corrupt), the split's next file that reads instead: an empty batch
        breaks the training step of both frameworks."""
        rows = np.asarray(indices, np.int64)
        batch, step = read(rows), 0
        while len(rows) and not len(batch[1]):  # [1]: the labels, or byte lengths
            step += 1
            if step == len(self):
                raise UserError(
                    f"none of the {len(self):,} images of a split can be read (one:"
                    f" {self.paths[0]}); fix or replace them"
                )
            batch = read((rows[-1:] + step) % len(self))
        return batch

    def decoded(self, indices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        images = np.zeros((len(indices), *self.shape[1:]), np.uint8)
        kept = np.ones(len(indices), bool)
        for row, index in enumerate(indices):
            try:
                images[row] = read_image(self.paths[index], self.channels, self.size)
            except BadImage as error:
                self.unreadable(self.paths[index], str(error), stop=not self.skip)
                kept[row] = False
        return images[kept], self.labels[indices][kept]

    def encoded(self, indices: np.ndarray) -> tuple[np.ndarray, ...]:
        chunks, orientations, kept = [], [], []
        for index in indices:
            try:
                with as_bad_image():  # deleted or unreadable since it was listed
                    data = Path(self.paths[index]).read_bytes()
                orientations.append(probe_image(io.BytesIO(data), jpeg_only=True))
            except BadImage as error:
                self.unreadable(self.paths[index], str(error), stop=not self.skip)
                continue
            chunks.append(np.frombuffer(data, np.uint8))
            kept.append(index)
        kept = np.asarray(kept, np.int64)
        lengths = np.asarray([len(chunk) for chunk in chunks], np.int64)
        flat = np.concatenate(chunks) if chunks else np.zeros(0, np.uint8)
        return flat, lengths, np.asarray(orientations), self.labels[kept], kept

    @staticmethod
    def unreadable(path, reason: str, stop: bool) -> None:
        if stop:
            raise cannot_read(path, reason)
        print(f"warning: skipped unreadable {path} ({reason})", file=sys.stderr)


def loader_workers(setting, streamed: bool) -> int:
    """data.num_workers: auto is none for images in memory (a batch is one slice) and
    for streamed ones every usable core but one, the training process's own (each
    worker decodes whole batches)."""
    if setting != "auto":
        return setting
    return max(1, usable_cores() - 1) if streamed else 0
