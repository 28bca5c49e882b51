"""Classify image files with a trained checkpoint: the most likely class and its probability."""

from pathlib import Path

import numpy as np
import paddle

from .checkpoint import load_classifier
from .data.decode import BadImage, read_image
from .data.image_files import image_paths
from .data.registry import described
from .errors import UserError
from .trainer import select_device


def read_input(path: Path, channels: int, size: int) -> np.ndarray:
    """uint8 (C, size, size), decoded as the training images were (data/decode.py)."""
    try:
        return read_image(path, channels, size)
    except BadImage as error:
        raise UserError(f"cannot read image {path}: {error}") from None


def predict(cfg, inputs: str, batch_size: int = 256) -> list[tuple[Path, str, float]]:
    select_device(cfg.trainer.accelerator)
    model = load_classifier(cfg.ckpt_path)
    info = described(cfg.data.name, model.data)
    names = model.data["class_names"]
    paths, results = image_paths(inputs), []
    for start in range(0, len(paths), batch_size):
        chunk = paths[start : start + batch_size]
        images = np.stack(
            [read_input(p, info.channels, info.image_size) for p in chunk]
        )
        (logits,) = model.predict_batch([images])
        probabilities = paddle.nn.functional.softmax(paddle.to_tensor(logits), axis=1)
        best, index = probabilities.max(axis=1), probabilities.argmax(axis=1)
        results += [
            (p, names[int(i)], float(b))
            for p, i, b in zip(chunk, index, best, strict=True)
        ]
    return results
