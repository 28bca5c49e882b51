"""Checkpoint files written whole or not at all.

Lightning writes a checkpoint straight under its final name, so a kill or a full disk
in the middle leaves a truncated last.ckpt that looks like a checkpoint; here it is
written to `<name>.part` and renamed, so the previous last.ckpt stays usable.
"""

import os

from lightning_fabric.plugins.io.torch_io import TorchCheckpointIO

from .errors import raise_if_no_room


class WholeCheckpointIO(TorchCheckpointIO):
    def save_checkpoint(self, checkpoint, path, storage_options=None) -> None:
        part = f"{path}.part"
        try:
            super().save_checkpoint(checkpoint, part, storage_options)
            os.replace(part, path)
        except OSError as error:
            raise_if_no_room(error, path)
            raise
        finally:
            if os.path.exists(part):
                os.remove(part)
