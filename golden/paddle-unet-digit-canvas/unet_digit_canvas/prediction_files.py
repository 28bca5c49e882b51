"""Segment image files with a trained checkpoint: a class for every pixel, written out
by the task's pictures module (mask_pictures.py: mask PNG, coloured picture, classes as
RLE), and every image's record in predictions.json."""

import json
from pathlib import Path

import numpy as np

from .checkpoint import load_segmenter
from .data.image_files import image_paths, readable_batches
from .errors import UserError
from .trainer import select_device


def predict(
    cfg, inputs: str, out_dir: Path, write_outputs, batch_size: int = 32
) -> tuple[list, list]:
    """([record per image], [(path, why unreadable)]), with every image's outputs and
    predictions.json (all records) in `out_dir`. A bad file among many is listed, not
    fatal; a single file that cannot be read is a UserError."""
    select_device(cfg.trainer.accelerator)
    model = load_segmenter(cfg.ckpt_path)
    data = model.data
    channels, size, names = data["channels"], data["image_size"], data["class_names"]
    paths, results, bad = image_paths(inputs), [], []
    out_dir.mkdir(parents=True, exist_ok=True)
    for chunk, images in readable_batches(paths, channels, size, batch_size, bad):
        (logits,) = model.predict_batch([images])  # normalised in the model
        masks = logits.argmax(axis=1).astype(np.uint8)
        for path, mask in zip(chunk, masks, strict=True):
            results.append(write_outputs(out_dir, path, mask, names))
    if len(paths) == 1 and bad:
        raise UserError(f"cannot read image {bad[0][0]}: {bad[0][1]}")
    if results:
        text = json.dumps({"class_names": names, "images": results}, indent=1)
        (out_dir / "predictions.json").write_text(text + "\n")
    return results, bad
