"""The network export.py writes: normalised images (N, C, H, W) in, the outputs the
manifest names out."""

import torch
from torch import nn

TORCHVISION = ("maskrcnn",)  # torchvision's Mask R-CNN
OUTPUTS = {  # torchvision's detections of one image, k objects, best first
    "boxes": "(k, 4): x1, y1, x2, y2 in input pixels",
    "scores": "(k,): each object's score",
    "labels": "(k,): each object's class + 1 (0 is torchvision's background)",
    "masks": "(k, 1, H, W): each pixel's probability of being the object's",
}


class Exported(nn.Module):
    """The trained network, answering plain tensors (no dict, no list of levels)."""

    def __init__(self, net: nn.Module) -> None:
        super().__init__()
        self.net = net


class Detections(nn.Module):
    """torchvision's detector, scripted, on a batch tensor: each image's detections
    after its own NMS (scripted, it answers (losses, detections))."""

    def __init__(self, net: nn.Module) -> None:
        super().__init__()
        self.net = net

    def forward(self, images: torch.Tensor) -> list[dict[str, torch.Tensor]]:
        return self.net(list(images.unbind(0)))[1]


class OneImage(nn.Module):
    """torchvision's detector for ONNX: one image (1, C, H, W) in, its detections after
    its own NMS out as plain tensors (how many depends on the image, so the batch is 1).
    """

    one_image = True  # writer.py exports it with a fixed batch of one

    def __init__(self, net: nn.Module) -> None:
        super().__init__()
        self.net = net

    def forward(self, images: torch.Tensor) -> tuple[torch.Tensor, ...]:
        found = self.net([images[0]])[0]
        return tuple(found[output] for output in OUTPUTS)


def exported(model, format: str) -> tuple[nn.Module, list[dict], dict]:
    """(the module to export as `format`, its outputs as the manifest lists them,
    postprocess)."""
    if model.cfg.model.name.startswith(TORCHVISION):
        # predict.py's choice (detector.py): objects scoring under it are not shown
        postprocess = {"after": "the network's NMS", "score_threshold": 0.25}
        if format == "onnx":
            size = model.hparams["data"]["image_size"]
            shapes = {"boxes": [None, 4], "masks": [None, 1, size, size]}
            outputs = [
                {"name": name, "shape": shapes.get(name, [None]), "meaning": meaning}
                for name, meaning in OUTPUTS.items()
            ]
            return OneImage(model.net).eval(), outputs, postprocess
        meaning = "per image a dict: " + ", ".join(OUTPUTS) + " as ONNX's outputs"
        outputs = [{"name": "detections", "shape": None, "meaning": meaning}]
        return Detections(model.net).eval(), outputs, postprocess
    raise AssertionError(f"{model.cfg.model.name}: no export for this network")
