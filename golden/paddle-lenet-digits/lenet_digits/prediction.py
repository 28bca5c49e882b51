"""Classify image files with a trained checkpoint: the most likely class and its probability."""

import paddle

from .checkpoint import load_classifier
from .data.image_files import image_paths, readable_batches
from .data.registry import described
from .errors import UserError
from .trainer import select_device


def predict(cfg, inputs: str, batch_size: int = 256) -> tuple[list, list]:
    """([(path, class, probability)], [(path, why unreadable)]): a bad file among
    many is listed, not fatal; a single file that cannot be read is a UserError."""
    select_device(cfg.trainer.accelerator)
    model = load_classifier(cfg.ckpt_path)
    info = described(cfg.data.name, model.data)
    names = model.data["class_names"]
    paths, results, bad = image_paths(inputs), [], []
    size, channels = info.image_size, info.channels
    for chunk, images in readable_batches(paths, channels, size, batch_size, bad):
        (logits,) = model.predict_batch([images])
        probabilities = paddle.nn.functional.softmax(paddle.to_tensor(logits), axis=1)
        best, index = probabilities.max(axis=1), probabilities.argmax(axis=1)
        results += [
            (p, names[int(i)], float(b))
            for p, i, b in zip(chunk, index, best, strict=True)
        ]
    if len(paths) == 1 and bad:
        raise UserError(f"cannot read image {bad[0][0]}: {bad[0][1]}")
    return results, bad
