"""Start from pretrained weights: paddle.vision's (model.pretrained=true) or a local file,
this project's or PyTorch's (torchvision's ImageNet files load by name: torch_weights.py).
A segmentation model's backbone takes its classifier's ImageNet weights the same ways.

Tensors whose shape differs from the model (a head for another class count, a stem for
other inputs) are left freshly initialised, and the run says which.
"""

import json
import sys
from pathlib import Path

import paddle

from ..errors import UserError
from .torch_weights import is_torch_file, is_torch_state, paddle_state, read_torch_file

WEIGHTS = {  # model -> paddle.vision module and key of its ImageNet weights
    "resnet18": ("resnet", "resnet18"),
    "resnet34": ("resnet", "resnet34"),
    "resnet50": ("resnet", "resnet50"),
    "mobilenet_v3_small": ("mobilenetv3", "mobilenet_v3_small_x1.0"),
    # segmentation models: their backbone's (models/backbones.py)
    "deeplabv3_resnet50": ("resnet", "resnet50"),
    "deeplabv3_mobilenet_v3_large": ("mobilenetv3", "mobilenet_v3_large_x1.0"),
    "lraspp_mobilenet_v3_large": ("mobilenetv3", "mobilenet_v3_large_x1.0"),
}
TORCHVISION_ONLY = {  # model -> torchvision's ImageNet weights, which load from a file
    "efficientnet_b0": "https://download.pytorch.org/models/efficientnet_b0_rwightman-7f5810bc.pth",
}


def load_pretrained(network: paddle.nn.Layer, name: str, pretrained) -> None:
    from_paddle = pretrained is True
    state = (
        vision_weights(name) if from_paddle else read_weights(Path(pretrained), network)
    )
    if hasattr(network, "backbone") and not any(
        k.startswith("backbone.") for k in state
    ):
        state = {f"backbone.{k}": v for k, v in state.items()}  # a backbone's weights
    own = network.state_dict()
    usable = {
        k: v for k, v in state.items() if k in own and list(v.shape) == own[k].shape
    }
    if not usable:
        holds = "" if pretrained is True else trained_as(pretrained)
        raise UserError(
            f"no tensor in {pretrained} fits model {name}{holds}: is it the same model?"
        )
    network.set_state_dict(usable)
    fresh = sorted(set(own) - set(usable))
    print(f"pretrained: loaded {len(usable)} tensors", file=sys.stderr)
    if fresh:
        print(f"pretrained: newly initialised: {', '.join(fresh)}", file=sys.stderr)


def vision_weights(name: str) -> dict:
    import importlib

    if name in TORCHVISION_ONLY:
        raise UserError(
            f"paddle.vision has no weights for {name}: download torchvision's "
            f"{TORCHVISION_ONLY[name]} and set model.pretrained=/path/to/that.pth"
        )
    if name not in WEIGHTS:
        raise UserError(
            f"paddle.vision has no pretrained weights for {name}; give a file path"
        )
    module, key = WEIGHTS[name]
    url, md5 = importlib.import_module(f"paddle.vision.models.{module}").model_urls[key]
    from paddle.utils.download import get_weights_path_from_url

    try:
        return paddle.load(get_weights_path_from_url(url, md5))
    except Exception as error:  # paddle wraps network errors in plain exceptions
        target = Path("~/.cache/paddle/hapi/weights").expanduser() / Path(url).name
        raise UserError(
            f"could not download {url} ({error}). Offline? Copy that file to {target}, "
            "or set model.pretrained=/path/to/weights.pdparams"
        ) from None


def read_weights(path: Path, network: paddle.nn.Layer) -> dict:
    """A state dict from .safetensors, .pdparams, a checkpoint of this project, or a
    PyTorch file: .pth, .safetensors named the torch way, the Lightning twin's .ckpt."""
    if not path.is_file():
        raise UserError(f"model.pretrained={path}: no such file")
    try:
        from_torch = is_torch_file(path)
        if path.suffix == ".safetensors":
            from safetensors.numpy import load_file

            state = load_file(path)
        else:
            state = read_torch_file(path) if from_torch else paddle.load(str(path))
    except Exception as error:  # paddle, pickle, zip and safetensors raise many types
        raise UserError(f"cannot read weights from {path}: {error}") from None
    if not isinstance(state, dict):  # e.g. torch's format before 1.6: a row of pickles
        raise UserError(
            f"cannot read weights from {path}: no state dict in it (an old torch file? "
            "torch.save it again with a recent torch, or as .safetensors)"
        )
    if from_torch and "state_dict" in state:  # a checkpoint of the Lightning twin
        state = {k.removeprefix("net."): v for k, v in state["state_dict"].items()}
    if from_torch or is_torch_state(state):
        return paddle_state(state, network)
    return {k.removeprefix("network."): v for k, v in state.items()}


def trained_as(path: str) -> str:
    """' (it was trained as lenet)' for a checkpoint of this project, else ''."""
    try:
        state = json.loads(Path(path).with_suffix(".json").read_text())
        name = state["config"]["model"]["name"]
    except (OSError, ValueError, KeyError, TypeError):  # not one of ours
        return ""
    return f" (it was trained as {name})"
