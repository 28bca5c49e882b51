"""Classify image files with a trained checkpoint: the most likely class and its probability."""

from pathlib import Path

import torch
from torchvision.io import ImageReadMode, decode_image
from torchvision.transforms.v2.functional import resize

from .checkpoint import load_classifier
from .data.image_files import image_paths
from .data.registry import DATASETS
from .data.transforms import normalize
from .errors import UserError
from .quiet import quiet_lightning


def read_image(path: Path, channels: int, size: int) -> torch.Tensor:
    """uint8 (C, size, size), gray or RGB as the model was trained."""
    mode = ImageReadMode.GRAY if channels == 1 else ImageReadMode.RGB
    try:
        image = decode_image(str(path), mode=mode)
    except RuntimeError as error:
        raise UserError(f"cannot read image {path}: {error}") from None
    return resize(image, [size, size], antialias=True)


@torch.no_grad()
def predict(cfg, inputs: str, batch_size: int = 256) -> list[tuple[Path, str, float]]:
    quiet_lightning()
    model = load_classifier(cfg.ckpt_path)
    info = DATASETS[cfg.data.name]
    names = model.hparams["data"]["class_names"]
    paths, results = image_paths(inputs), []
    for start in range(0, len(paths), batch_size):
        chunk = paths[start : start + batch_size]
        images = torch.stack(
            [read_image(p, info.channels, info.image_size) for p in chunk]
        )
        probabilities = model(normalize(images, info.mean, info.std)).softmax(dim=1)
        best, index = probabilities.max(dim=1)
        results += [
            (p, names[i], float(b)) for p, i, b in zip(chunk, index, best, strict=True)
        ]
    return results
