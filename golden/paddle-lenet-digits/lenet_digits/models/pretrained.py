"""Start from pretrained weights: paddle.vision's (model.pretrained=true) or a local file.

Tensors whose shape differs from the model (a head for another class count, a stem for
other inputs) are left freshly initialised, and the run says which.
"""

import json
import sys
from pathlib import Path

import paddle

from ..errors import UserError

WEIGHTS = {  # model -> paddle.vision module and key of its ImageNet weights
    "resnet18": ("resnet", "resnet18"),
    "resnet34": ("resnet", "resnet34"),
    "resnet50": ("resnet", "resnet50"),
    "mobilenet_v3_small": ("mobilenetv3", "mobilenet_v3_small_x1.0"),
}


def load_pretrained(network: paddle.nn.Layer, name: str, pretrained) -> None:
    from_paddle = pretrained is True
    state = vision_weights(name) if from_paddle else read_weights(Path(pretrained))
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


def read_weights(path: Path) -> dict:
    """A state dict from .safetensors, .pdparams, or a checkpoint of this project."""
    if not path.is_file():
        raise UserError(f"model.pretrained={path}: no such file")
    if path.suffix == ".safetensors":
        from safetensors.numpy import load_file

        return {k: paddle.to_tensor(v) for k, v in load_file(path).items()}
    try:
        state = paddle.load(str(path))
    except Exception as error:  # paddle raises many types for a bad file
        raise UserError(f"cannot read weights from {path}: {error}") from None
    return {k.removeprefix("network."): v for k, v in state.items()}


def trained_as(path: str) -> str:
    """' (it was trained as lenet)' for a checkpoint of this project, else ''."""
    try:
        state = json.loads(Path(path).with_suffix(".json").read_text())
        name = state["config"]["model"]["name"]
    except (OSError, ValueError, KeyError, TypeError):  # not one of ours
        return ""
    return f" (it was trained as {name})"
