"""Segment image files with a trained checkpoint: a class for every pixel, written out
by mask_pictures.py (mask PNG, coloured picture, classes as RLE)."""

import json
from pathlib import Path

import numpy as np

from .checkpoint import load_segmenter
from .data.decode import BadImage, read_image
from .data.image_files import image_paths
from .errors import UserError
from .mask_pictures import write_outputs
from .trainer import select_device


def predict(cfg, inputs: str, out_dir: Path, batch_size: int = 32) -> tuple[list, list]:
    """([record per image], [(path, why unreadable)]), with every image's outputs and
    predictions.json (all records) in `out_dir`. A bad file among many is listed, not
    fatal; a single file that cannot be read is a UserError."""
    select_device(cfg.trainer.accelerator)
    model = load_segmenter(cfg.ckpt_path)
    data = model.data
    channels, size, names = data["channels"], data["image_size"], data["class_names"]
    paths, results, bad = image_paths(inputs), [], []
    out_dir.mkdir(parents=True, exist_ok=True)
    for start in range(0, len(paths), batch_size):
        chunk, images = [], []
        for path in paths[start : start + batch_size]:
            try:
                images.append(read_image(path, channels, size))
                chunk.append(path)
            except BadImage as error:  # data/decode.py: unreadable, or too many pixels
                bad.append((path, str(error)))
        if not chunk:
            continue
        (logits,) = model.predict_batch([np.stack(images)])  # normalised in the model
        masks = logits.argmax(axis=1).astype(np.uint8)
        for path, mask in zip(chunk, masks, strict=True):
            results.append(write_outputs(out_dir, path, mask, names))
    if len(paths) == 1 and bad:
        raise UserError(f"cannot read image {bad[0][0]}: {bad[0][1]}")
    if results:
        text = json.dumps({"class_names": names, "images": results}, indent=1)
        (out_dir / "predictions.json").write_text(text + "\n")
    return results, bad
