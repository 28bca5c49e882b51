"""Checkpoints of this project: <stem>.pdparams (weights), <stem>.pdopt (optimizer and
schedule) and <stem>.json (the run's config, the data description, the epochs done
and the best monitored value, to resume).

The JSON is read without importing paddle, so eval.py and predict.py check their
arguments first; `ckpt_path` names the .pdparams file.
"""

import json
import os
from pathlib import Path

from .data.checksums import file_digest
from .errors import UserError, raise_if_no_room
from .records.run_dir import write_text


def save_checkpoint(model, stem: Path, epoch: int, best: float, waited: int) -> None:
    """Each of the three files whole or not at all: written under .part, then renamed.
    `waited`: epochs without improvement, so early stopping resumes where it was."""
    part = stem.with_name(f"{stem.name}.part")
    try:
        model.save(str(part))  # writes <part>.pdparams and <part>.pdopt
        digest = file_digest(Path(f"{part}.pdparams"), "sha256")  # checked on loading
        for suffix in (".pdparams", ".pdopt"):
            os.replace(f"{part}{suffix}", f"{stem}{suffix}")
        state = {"config": model.config, "data": model.data, "epoch": epoch}
        state |= {"best": best, "waited": waited, SHA256: digest}
        write_text(stem.with_suffix(".json"), json.dumps(state, indent=1) + "\n")
    except OSError as error:
        raise_if_no_room(error, f"{stem}.pdparams")
        raise
    finally:
        for suffix in (".pdparams", ".pdopt"):
            Path(f"{part}{suffix}").unlink(missing_ok=True)


FIX = "give runs/<run>/checkpoints/best.pdparams or last.pdparams"
SHA256 = "pdparams_sha256"  # the weights as written: a changed byte is refused


def read_checkpoint(path: str) -> dict:
    params = Path(path)
    if not params.is_file():
        raise UserError(f"ckpt_path={path}: no such file; {FIX}")
    if params.suffix == ".ckpt":
        raise UserError(f"ckpt_path={path} is a PyTorch Lightning checkpoint; {FIX}")
    if params.suffix != ".pdparams":
        raise UserError(f"ckpt_path={path} is not a .pdparams checkpoint; {FIX}")
    try:
        return json.loads(params.with_suffix(".json").read_text())
    except (OSError, ValueError):
        raise UserError(
            f"ckpt_path={path} has no readable {params.stem}.json beside it"
        ) from None


def checkpoint_config(path: str) -> dict:
    """The config the checkpoint was trained with, as the base for eval/predict."""
    return read_checkpoint(path)["config"]


def load_classifier(path: str):
    """The trained paddle.Model, ready for evaluate/predict."""
    from .classifier import build_classifier, prepare

    state = read_checkpoint(path)
    model = build_classifier(state["config"], state["data"])
    load_weights(model, path, reset_optimizer=True)
    prepare(model)
    return model


def load_weights(model, path: str, reset_optimizer: bool = False) -> None:
    """The weights (and, resuming, the optimizer) of <stem>.pdparams into `model`."""
    recorded = read_checkpoint(path).get(SHA256)  # None: saved before it was recorded
    if recorded and file_digest(Path(path), "sha256") != recorded:
        raise UserError(
            f"ckpt_path={path} is not the file train.py wrote: its sha256 differs from"
            f" the one {Path(path).stem}.json recorded (damaged or changed since, or the"
            f" run stopped while saving it); {FIX}"
        )
    try:
        model.load(str(Path(path).with_suffix("")), reset_optimizer=reset_optimizer)
    except Exception:  # paddle raises many types for a bad file
        raise UserError(
            f"ckpt_path={path} is not a whole checkpoint (empty, cut short, or another"
            f" kind of file); {FIX}"
        ) from None
