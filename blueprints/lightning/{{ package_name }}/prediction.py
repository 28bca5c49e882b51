"""Classify image files with a trained checkpoint: the most likely class and its probability."""

from pathlib import Path

import torch

from .checkpoint import load_classifier
from .data.decode import BadImage, read_image
from .data.image_files import image_paths
from .data.registry import described
from .data.transforms import normalize
from .errors import UserError
from .quiet import quiet_lightning


def read_input(path: Path, channels: int, size: int) -> torch.Tensor:
    """uint8 (C, size, size), decoded as the training images were (data/decode.py)."""
    try:
        return torch.from_numpy(read_image(path, channels, size))
    except BadImage as error:
        raise UserError(f"cannot read image {path}: {error}") from None


@torch.no_grad()
def predict(cfg, inputs: str, batch_size: int = 256) -> list[tuple[Path, str, float]]:
    quiet_lightning()
    model = load_classifier(cfg.ckpt_path)
    info = described(cfg.data.name, model.hparams["data"])
    names = model.hparams["data"]["class_names"]
    paths, results = image_paths(inputs), []
    for start in range(0, len(paths), batch_size):
        chunk = paths[start : start + batch_size]
        images = torch.stack(
            [read_input(p, info.channels, info.image_size) for p in chunk]
        )
        probabilities = model(normalize(images, info.mean, info.std)).softmax(dim=1)
        best, index = probabilities.max(dim=1)
        results += [
            (p, names[i], float(b)) for p, i, b in zip(chunk, index, best, strict=True)
        ]
    return results
