"""Open a checkpoint of this project: its run config and its trained classifier.

Checkpoints hold tensors and plain Python values only, so they load with
torch.load(weights_only=True) and never run pickled code.
"""

from pathlib import Path

import torch

from .classifier import Classifier
from .errors import UserError


def read_checkpoint(path: str) -> dict:
    if not Path(path).is_file():
        raise UserError(f"ckpt_path={path}: no such file")
    try:
        checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # torch raises many types for a bad file
        raise UserError(
            f"ckpt_path={path} is not a readable checkpoint: {error}"
        ) from None
    if "config" not in checkpoint.get("hyper_parameters", {}):
        raise UserError(f"ckpt_path={path} was not written by this project's train.py")
    return checkpoint


def checkpoint_config(path: str) -> dict:
    """The config the checkpoint was trained with, as the base for eval/predict."""
    return read_checkpoint(path)["hyper_parameters"]["config"]


def load_classifier(path: str) -> Classifier:
    checkpoint = read_checkpoint(path)
    model = Classifier(**checkpoint["hyper_parameters"])
    model.load_state_dict(checkpoint["state_dict"])
    return model.eval()
