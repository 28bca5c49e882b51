"""What verification.py compares and scores of a detector: YOLOv5's candidates (and
the objects chosen of them), or torchvision's detections; and the test mAP50 of either,
through the project's own metric (detector.py's pycocotools mAP)."""

import torch

from ..models.yolo_boxes import decode
from .postprocess import select_objects

EVALUATED = {"score_threshold": 0.001, "iou_threshold": 0.6, "max_detections": 100}

TORCHVISION = ("fasterrcnn", "retinanet", "ssdlite", "maskrcnn")
NAMES = ("boxes", "scores")  # YOLOv5's candidates (torchvision's: a dict per image)


def checkpoint_answers(model, network, images: torch.Tensor) -> dict:
    """The checkpoint's detections, by the project's own path (its adapter)."""
    if model.cfg.model.name.startswith(TORCHVISION):
        return flat(model.adapter.detect(images))
    boxes, scores = network(images)  # the candidates, and what the decoding keeps
    objects = decode(model.net(images), model.net, **EVALUATED)
    objects = [
        {"boxes": o[:, :4], "scores": o[:, 4], "labels": o[:, 5].long()}
        for o in objects
    ]
    return {"boxes": boxes.numpy(), "scores": scores.numpy(), "objects": objects}


def export_answers(outputs: list) -> dict:
    """The export's outputs by name; torchvision's detections as the checkpoint's."""
    if isinstance(outputs[0], dict):
        return flat(shifted(outputs))
    return dict(zip(NAMES, outputs, strict=True))


def shifted(detections: list[dict]) -> list[dict]:
    """torchvision's detections as the project's adapter answers them: classes from 0
    (theirs count the background as 0), masks (k, H, W)."""
    found = []
    for answer in detections:
        answer = {**answer, "labels": answer["labels"] - 1}
        if "masks" in answer:
            answer["masks"] = answer["masks"][:, 0]
        found.append(answer)
    return found


def flat(detections: list[dict]) -> dict:
    """Every image's detections in one array per key (compared as such), and as they
    were (scored)."""
    answers = {
        key: torch.cat([answer[key] for answer in detections]).numpy()
        for key in detections[0]
    }
    return answers | {"objects": detections}


def score(model, answers: list[dict], targets: list[dict]) -> float:
    """Test mAP50 through the project's metric (detector.py's COCO mAP); YOLOv5's
    export's objects chosen by exporting/postprocess.py, in numpy."""
    metric = model.scores.clone()
    metric.reset()
    found = []
    for answer in answers:
        objects = answer.get("objects")
        if objects is None:
            rows = select_objects(answer["boxes"], answer["scores"], **EVALUATED)
            objects = [
                {"boxes": o[:, :4], "scores": o[:, 4], "labels": o[:, 5].long()}
                for o in map(torch.from_numpy, rows)
            ]
        found += objects
    metric.update(model.scored(found), targets)
    return float(metric.compute()[f"{model.NAMES[0][0]}map_50"])
