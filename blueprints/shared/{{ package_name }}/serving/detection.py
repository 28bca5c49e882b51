"""/predict's answer for one image of a detector: its objects, each a class, a score
and a box [x0, y0, x1, y1] in the image's own pixels. The model's candidates are
thinned by exporting/detections.py (thresholds and NMS from the manifest), as
predict.py's are; `label` names the best-scoring object's class (null: none found)."""

import numpy as np

from ..exporting.detections import select_objects


def answer(outputs: list[np.ndarray], size: tuple[int, int], manifest: dict) -> dict:
    """`outputs`: the model's for one image; `size`: its width and height."""
    boxes, scores, classes = select_objects(outputs, manifest["postprocess"])
    height, width = manifest["preprocess"]["size"]
    scale = np.array([size[0] / width, size[1] / height] * 2)
    names = manifest["class_names"]
    objects = [
        {
            "label": names[int(c)],
            "score": round(float(s), 6),
            "box": [round(float(v), 2) for v in box * scale],
        }
        for box, s, c in zip(boxes, scores, classes, strict=True)
    ]
    objects.sort(key=lambda o: -o["score"])
    best: dict[str, float] = {}
    for found in objects:
        best.setdefault(found["label"], found["score"])
    return {
        "label": objects[0]["label"] if objects else None,
        "scores": best,
        "objects": objects,
    }
