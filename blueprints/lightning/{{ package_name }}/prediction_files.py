"""Segment or detect objects in image files with a trained checkpoint: the network's
answer for each image (its predict_step) written out by the task's pictures module
(mask_pictures.py, box_pictures.py or instance_pictures.py), and every image's record
in predictions.json."""

import json
from pathlib import Path

import torch

from .checkpoint import load_trained
from .data.image_files import image_paths, readable_batches
from .data.normalize import normalize
from .errors import UserError
from .quiet import quiet_lightning


@torch.no_grad()
def predict(
    cfg, inputs: str, out_dir: Path, write_outputs, batch_size: int = 32
) -> tuple[list, list]:
    """([record per image], [(path, why unreadable)]), with every image's outputs and
    predictions.json (all records) in `out_dir`. A bad file among many is listed, not
    fatal; a single file that cannot be read is a UserError."""
    quiet_lightning()
    model = load_trained(cfg.ckpt_path)
    data = model.hparams["data"]
    channels, size, names = data["channels"], data["image_size"], data["class_names"]
    paths, results, bad = image_paths(inputs), [], []
    out_dir.mkdir(parents=True, exist_ok=True)
    for chunk, images in readable_batches(paths, channels, size, batch_size, bad):
        batch = normalize(torch.from_numpy(images), data["mean"], data["std"])
        for path, answer in zip(chunk, model.predict_step(batch, 0), strict=True):
            answer = as_numpy(answer)
            results.append(write_outputs(out_dir, path, answer, names))
    if len(paths) == 1 and bad:
        raise UserError(f"cannot read image {bad[0][0]}: {bad[0][1]}")
    if results:
        text = json.dumps({"class_names": names, "images": results}, indent=1)
        (out_dir / "predictions.json").write_text(text + "\n")
    return results, bad


def as_numpy(answer):
    """predict_step's answer for one image (a tensor, or a dict of them) in numpy."""
    if isinstance(answer, dict):
        return {key: value.numpy() for key, value in answer.items()}
    return answer.numpy()
