"""Start from pretrained weights: torchvision's (model.pretrained=true) or a local file.

Tensors whose shape differs from the model (a head for another class count, a stem for
other inputs) are left freshly initialised, and the run says which.
"""

import sys
from pathlib import Path
from urllib.error import URLError

import torch
import torchvision

from ..errors import UserError


def load_pretrained(model: torch.nn.Module, name: str, pretrained) -> None:
    from_torchvision = pretrained is True
    state = (
        torchvision_weights(name)
        if from_torchvision
        else read_weights(Path(pretrained))
    )
    own = model.state_dict()
    usable = {k: v for k, v in state.items() if k in own and v.shape == own[k].shape}
    if not usable:
        holds = "" if pretrained is True else trained_as(pretrained)
        raise UserError(
            f"no tensor in {pretrained} fits model {name}{holds}: is it the same model?"
        )
    model.load_state_dict(usable, strict=False)
    fresh = sorted(
        set(own) - set(usable) - {k for k in own if "num_batches_tracked" in k}
    )
    print(f"pretrained: loaded {len(usable)} tensors", file=sys.stderr)
    if fresh:
        print(f"pretrained: newly initialised: {', '.join(fresh)}", file=sys.stderr)


def torchvision_weights(name: str) -> dict:
    try:
        weights = torchvision.models.get_model_weights(name).DEFAULT
    except ValueError:
        raise UserError(
            f"torchvision has no pretrained weights for {name}; give a file path"
        ) from None
    target = Path(torch.hub.get_dir()) / "checkpoints" / Path(weights.url).name
    try:
        return torch.hub.load_state_dict_from_url(
            weights.url, progress=True, weights_only=True
        )
    except (URLError, TimeoutError, ConnectionError) as error:
        raise UserError(
            f"could not download {weights.url} ({getattr(error, 'reason', error)}). "
            f"Offline? Copy that file to {target}, or set model.pretrained=/path/to/weights.pth"
        ) from None


def read_weights(path: Path) -> dict:
    """A state dict from .safetensors, .pth/.pt, or a Lightning .ckpt of this project."""
    if not path.is_file():
        raise UserError(f"model.pretrained={path}: no such file")
    if path.suffix == ".safetensors":
        from safetensors.torch import load_file

        return load_file(path)
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # torch raises many types for a bad file
        raise UserError(f"cannot read weights from {path}: {error}") from None
    if "state_dict" in state:  # a checkpoint of this project: drop the module prefix
        state = {k.removeprefix("net."): v for k, v in state["state_dict"].items()}
    return state


def trained_as(path: str) -> str:
    """' (it was trained as lenet)' for a checkpoint of this project, else ''."""
    try:
        checkpoint = torch.load(path, map_location="cpu", weights_only=True)
        name = checkpoint["hyper_parameters"]["config"]["model"]["name"]
    except Exception:  # not a checkpoint of this project: nothing to add
        return ""
    return f" (it was trained as {name})"
