"""Open a checkpoint of this project: its run config and its trained classifier.

Checkpoints hold tensors and plain Python values only, so they load with
torch.load(weights_only=True) and never run pickled code.
"""

import warnings
from pathlib import Path

import torch

from .errors import UserError

FIX = "give runs/<run>/checkpoints/best.ckpt or last.ckpt"


def read_checkpoint(path: str) -> dict:
    if not Path(path).is_file():
        raise UserError(f"ckpt_path={path}: no such file; {FIX}")
    if Path(path).suffix in (".pdparams", ".pdopt"):
        raise UserError(f"ckpt_path={path} is a PaddlePaddle checkpoint; {FIX}")
    try:
        with warnings.catch_warnings():  # another pickle: torch warns, then fails
            warnings.simplefilter("ignore")
            checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    except Exception:  # torch raises many types, with many lines, for a bad file
        raise UserError(
            f"ckpt_path={path} is not a whole checkpoint (empty, cut short, or another"
            f" kind of file); {FIX}"
        ) from None
    if not isinstance(checkpoint, dict):
        raise UserError(f"ckpt_path={path} is not a checkpoint of this project; {FIX}")
    if "config" not in checkpoint.get("hyper_parameters", {}):
        raise UserError(f"ckpt_path={path} was not written by this project's train.py")
    return checkpoint


def checkpoint_config(path: str) -> dict:
    """The config the checkpoint was trained with, as the base for eval/predict."""
    return read_checkpoint(path)["hyper_parameters"]["config"]


def load_trained(path: str):
    """The trained classifier, in eval mode. Imported here, not above: a
    config read from a checkpoint (and refused for a bad key) needs torch alone."""
    from .classifier import Classifier

    checkpoint = read_checkpoint(path)
    model = Classifier(**checkpoint["hyper_parameters"])
    model.load_state_dict(checkpoint["state_dict"])
    return model.eval()
