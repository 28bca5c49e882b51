"""The network export.py writes: normalised images (N, C, H, W) in, the outputs the
manifest names out (YOLOv5: its candidates before NMS, whose
choosing exporting/postprocess.py does in numpy)."""

import torch
from torch import nn

from ..models.yolo_boxes import candidates

TORCHVISION = ("fasterrcnn", "retinanet", "ssdlite")  # torchvision's detectors
OUTPUTS = {  # torchvision's detections of one image, k objects, best first
    "boxes": "(k, 4): x1, y1, x2, y2 in input pixels",
    "scores": "(k,): each object's score",
    "labels": "(k,): each object's class + 1 (0 is torchvision's background)",
}


class Exported(nn.Module):
    """The trained network, answering plain tensors (no dict, no list of levels)."""

    def __init__(self, net: nn.Module) -> None:
        super().__init__()
        self.net = net

    def forward(self, images: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        return candidates(self.net(images), self.net)


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
    classes = len(model.hparams["data"]["class_names"])
    boxes = "every candidate box: x1, y1, x2, y2 in input pixels"
    scores = "each candidate's score per class (objectness x class probability)"
    outputs = [
        {"name": "boxes", "shape": [None, None, 4], "meaning": boxes},
        {"name": "scores", "shape": [None, None, classes], "meaning": scores},
    ]
    # predict.py's choice (exporting/postprocess.py select_objects' arguments)
    postprocess = {"score_threshold": 0.25, "iou_threshold": 0.6}
    postprocess |= {"max_detections": 300, "max_candidates": 30000}
    return Exported(model.net).eval(), outputs, postprocess
