"""Classify image files with a trained checkpoint: the most likely class and its probability."""

from pathlib import Path

import numpy as np
import paddle
from PIL import Image, UnidentifiedImageError

from .checkpoint import load_classifier
from .data.image_files import image_paths
from .data.registry import DATASETS
from .errors import UserError
from .trainer import select_device


def read_image(path: Path, channels: int, size: int) -> np.ndarray:
    """uint8 (C, size, size), gray or RGB as the model was trained."""
    try:
        image = Image.open(path).convert("L" if channels == 1 else "RGB")
    except (OSError, UnidentifiedImageError) as error:
        raise UserError(f"cannot read image {path}: {error}") from None
    array = np.asarray(image.resize((size, size), Image.BILINEAR), dtype=np.uint8)
    return array[None] if channels == 1 else array.transpose(2, 0, 1)


def predict(cfg, inputs: str, batch_size: int = 256) -> list[tuple[Path, str, float]]:
    select_device(cfg.trainer.accelerator)
    model = load_classifier(cfg.ckpt_path)
    info = DATASETS[cfg.data.name]
    names = model.data["class_names"]
    paths, results = image_paths(inputs), []
    for start in range(0, len(paths), batch_size):
        chunk = paths[start : start + batch_size]
        images = np.stack(
            [read_image(p, info.channels, info.image_size) for p in chunk]
        )
        (logits,) = model.predict_batch([images])
        probabilities = paddle.nn.functional.softmax(paddle.to_tensor(logits), axis=1)
        best, index = probabilities.max(axis=1), probabilities.argmax(axis=1)
        results += [
            (p, names[int(i)], float(b))
            for p, i, b in zip(chunk, index, best, strict=True)
        ]
    return results
