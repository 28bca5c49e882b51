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
        scores = self.net(images)  # torchvision's models answer {"out": scores, ...}
        return scores["out"] if isinstance(scores, dict) else scores


def exported(model, format: str) -> tuple[nn.Module, list[dict], dict]:
    """(the module to export as `format`, its outputs as the manifest lists them,
    postprocess)."""
    data = model.hparams["data"]
    shape = [None, len(data["class_names"]), data["image_size"], data["image_size"]]
    meaning = "each pixel's score per class; its class is the largest (argmax)"
    outputs = [{"name": "logits", "shape": shape, "meaning": meaning}]
    return Exported(model.net).eval(), outputs, {"classes": "argmax of logits, axis 1"}
