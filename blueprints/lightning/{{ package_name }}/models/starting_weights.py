"""Where a run's weights start and which of them train: model.pretrained, then
model.freeze.

model.freeze: backbone freezes the model's `backbone` module where it has one, else every
parameter but the output layers' (the modules named in HEADS); a list of prefixes freezes
the parameters whose names start with one of them (`features`, `layer1`, ...). Frozen
parameters get no gradient (requires_grad False) and stay out of the optimizer; their
batch-norm layers normalise with their running statistics, in training too, and never
update them: the frozen weights meet the statistics they were learned with.
"""

import sys
from collections.abc import Sequence
from functools import partial

from torch import nn
from torch.nn.modules.batchnorm import _BatchNorm

from ..errors import UserError, did_you_mean
from .pretrained import load_pretrained

HEADS = ("fc", "classifier", "aux_classifier", "head", "roi_heads")
FORMS = "null, backbone, or a list of parameter-name prefixes"


def start_weights(network: nn.Module, model_cfg) -> None:
    """Load model.pretrained into `network`, then freeze what model.freeze names."""
    if model_cfg.pretrained:
        load_pretrained(network, model_cfg.name, model_cfg.pretrained)
    prefixes = frozen_prefixes(network, model_cfg.freeze, model_cfg.name)
    frozen = 0
    for name, parameter in network.named_parameters():
        if within(name, prefixes):
            parameter.requires_grad_(False)
            frozen += parameter.numel()
    if frozen:
        print(f"freeze: {frozen} parameters of {', '.join(prefixes)}", file=sys.stderr)
        keep_norms_still(network, prefixes)


def keep_norms_still(network: nn.Module, prefixes: tuple[str, ...]) -> None:
    """Frozen batch norms in eval mode at every forward pass: a hook on the network
    itself, as sync_batchnorm replaces the norm layers after this."""
    names = [
        name
        for name, module in network.named_modules()
        if isinstance(module, _BatchNorm) and within(name, prefixes)
    ]
    if names:
        network.register_forward_pre_hook(partial(hold_still, names=names))


def hold_still(network: nn.Module, inputs, names: list[str]) -> None:
    for name in names:
        network.get_submodule(name).training = False


def within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(f"{p}.") for p in prefixes)


def frozen_prefixes(network: nn.Module, freeze, model: str) -> tuple[str, ...]:
    """The parameter-name prefixes model.freeze stands for, each known to name some."""
    tops = [
        name for name, child in network.named_children() if list(child.parameters())
    ]
    if freeze is None or freeze == []:
        return ()
    if freeze == "backbone":
        if "backbone" in tops:
            return ("backbone",)
        if not set(tops) & set(HEADS):
            raise UserError(
                f"model.freeze=backbone: model {model} has no output layer named"
                f" {', '.join(HEADS)}; give prefixes instead: {', '.join(tops)}"
            )
        return tuple(name for name in tops if name not in HEADS)
    listed = isinstance(freeze, Sequence) and not isinstance(freeze, str)
    if not listed or not all(isinstance(prefix, str) for prefix in freeze):
        raise UserError(f"model.freeze={freeze}: it must be {FORMS}")
    names = [name for name, _ in network.named_parameters()]
    for prefix in freeze:
        if not any(n == prefix or n.startswith(f"{prefix}.") for n in names):
            hint = did_you_mean(prefix, tops)
            raise UserError(
                f"model.freeze: no parameter of model {model} starts with '{prefix}'."
                f"{hint} Its modules: {', '.join(tops)}"
            )
    return tuple(freeze)
