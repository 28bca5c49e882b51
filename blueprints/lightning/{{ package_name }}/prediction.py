"""Classify image files with a trained checkpoint: the most likely class and its probability."""

import torch

from .checkpoint import load_trained
from .data.image_files import image_paths, readable_batches
from .data.normalize import normalize
from .data.registry import described
from .errors import UserError
from .quiet import quiet_lightning


@torch.no_grad()
def predict(cfg, inputs: str, batch_size: int = 256) -> tuple[list, list]:
    """([(path, class, probability)], [(path, why unreadable)]): a bad file among
    many is listed, not fatal; a single file that cannot be read is a UserError."""
    quiet_lightning()
    model = load_trained(cfg.ckpt_path)
    info = described(cfg.data.name, model.hparams["data"])
    names = model.hparams["data"]["class_names"]
    paths, results, bad = image_paths(inputs), [], []
    size, channels = info.image_size, info.channels
    for chunk, images in readable_batches(paths, channels, size, batch_size, bad):
        images = torch.from_numpy(images)
        probabilities = model(normalize(images, info.mean, info.std)).softmax(dim=1)
        best, index = probabilities.max(dim=1)
        results += [
            (p, names[i], float(b)) for p, i, b in zip(chunk, index, best, strict=True)
        ]
    if len(paths) == 1 and bad:
        raise UserError(f"cannot read image {bad[0][0]}: {bad[0][1]}")
    return results, bad
