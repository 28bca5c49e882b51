"""/predict's answer for one image of a detector: its objects, best first, each a
class, a score and a box [x0, y0, x1, y1] in the image's own pixels; `label` names the
best-scoring object's class (null: none found). YOLOv5's candidates are thinned by
exporting/postprocess.py (the manifest's thresholds, then NMS), as predict.py's are;
torchvision's detectors answer their objects after their own NMS, kept from the
manifest's score threshold up."""

import numpy as np

from ..exporting.postprocess import select_objects


def answer(outputs: list[np.ndarray], size: tuple[int, int], manifest: dict) -> dict:
    """`outputs`: the model's for one image, as the manifest names them (YOLOv5: its
    candidates' boxes (A, 4: x0, y0, x1, y1 in input pixels) and scores (A, classes));
    `size`: the image's width and height."""
    rows = objects_of(outputs, manifest)
    height, width = manifest["preprocess"]["size"]
    scale = np.array([size[0] / width, size[1] / height] * 2)
    names = manifest["class_names"]
    objects = [  # rows: x0, y0, x1, y1, score, class
        {
            "label": names[int(row[5])],
            "score": round(float(row[4]), 6),
            "box": [round(float(v), 2) for v in row[:4] * scale],
        }
        for row in rows
    ]
    best: dict[str, float] = {}  # each class found: its best object's score
    for found in objects:
        best.setdefault(found["label"], found["score"])
    return {
        "label": objects[0]["label"] if objects else None,
        "scores": best,
        "objects": objects,
    }


def objects_of(outputs: list[np.ndarray], manifest: dict) -> np.ndarray:
    """The image's objects, best first, a row each: x0, y0, x1, y1, score, class."""
    named = dict(zip((o["name"] for o in manifest["outputs"]), outputs, strict=True))
    rules = manifest["postprocess"]
    if "labels" not in named:  # YOLOv5's candidates
        return select_objects(named["boxes"][None], named["scores"][None], **rules)[0]
    keep = named["scores"] >= rules["score_threshold"]  # torchvision's: best first
    labels = named["labels"][keep] - 1  # their class 0 is the background
    return np.column_stack([named["boxes"][keep], named["scores"][keep], labels])
