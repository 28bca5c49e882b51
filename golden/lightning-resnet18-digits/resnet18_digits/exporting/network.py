"""The network export.py writes: normalised images (N, C, H, W) in, the outputs the
manifest names out."""

import torch
from torch import nn


class Exported(nn.Module):
    """The trained network, answering plain tensors (no dict, no list of levels)."""

    def __init__(self, net: nn.Module) -> None:
        super().__init__()
        self.net = net

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.net(images)


def exported(model, format: str) -> tuple[nn.Module, list[dict], dict]:
    """(the module to export as `format`, its outputs as the manifest lists them,
    postprocess)."""
    classes = len(model.hparams["data"]["class_names"])
    meaning = "each class's score; softmax gives its probability (postprocess.py)"
    outputs = [{"name": "logits", "shape": [None, classes], "meaning": meaning}]
    return Exported(model.net).eval(), outputs, {"probabilities": "softmax of logits"}
