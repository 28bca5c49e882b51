"""Detect objects in image files with a trained checkpoint: each image's boxes, written
out by the task's pictures module (box_pictures.py: the boxes drawn, named and scored,
and listed), and every image's record in predictions.json."""

import json
from pathlib import Path

import numpy as np
import paddle

from .checkpoint import load_detector
from .data.image_files import image_paths, readable_batches
from .errors import UserError
from .models.yolo_boxes import decode
from .trainer import select_device


def predict(
    cfg, inputs: str, out_dir: Path, write_outputs, batch_size: int = 32
) -> tuple[list, list]:
    """([record per image], [(path, why unreadable)]), with every image's outputs and
    predictions.json (all records) in `out_dir`. A bad file among many is listed, not
    fatal; a single file that cannot be read is a UserError."""
    select_device(cfg.trainer.accelerator)
    model = load_detector(cfg.ckpt_path)
    data = model.data
    channels, size, names = data["channels"], data["image_size"], data["class_names"]
    paths, results, bad = image_paths(inputs), [], []
    out_dir.mkdir(parents=True, exist_ok=True)
    for chunk, images in readable_batches(paths, channels, size, batch_size, bad):
        for path, boxes in zip(chunk, found_boxes(model, images), strict=True):
            results.append(write_outputs(out_dir, path, boxes, names))
    if len(paths) == 1 and bad:
        raise UserError(f"cannot read image {bad[0][0]}: {bad[0][1]}")
    if results:
        text = json.dumps({"class_names": names, "images": results}, indent=1)
        (out_dir / "predictions.json").write_text(text + "\n")
    return results, bad


def found_boxes(
    model, images: np.ndarray, score_threshold: float = 0.25, most: int = 300
) -> list[np.ndarray]:
    """Each image's boxes scoring `score_threshold` or more (at most `most`, best
    first): x1, y1, x2, y2 as shares of the image's width and height (so they fit the
    image at any size), score, class."""
    outputs = [paddle.to_tensor(o) for o in model.predict_batch([images])]
    found = decode(outputs, model.network.network, score_threshold, max_detections=most)
    scale = np.array([images.shape[-1], images.shape[-2]] * 2, dtype=np.float32)
    return [
        np.concatenate([d[:, :4].numpy() / scale, d[:, 4:].numpy()], 1) for d in found
    ]
