"""/predict's answer for one image of a detector: its objects, each a class, a score
and a box [x0, y0, x1, y1] in the image's own pixels. The model's candidates are
thinned by exporting/postprocess.py (the manifest's thresholds, then NMS), as
predict.py's are; `label` names the best-scoring object's class (null: none found)."""

import numpy as np

from ..exporting.postprocess import select_objects


def answer(outputs: list[np.ndarray], size: tuple[int, int], manifest: dict) -> dict:
    """`outputs`: the model's for one image, its candidates' boxes (A, 4: x0, y0, x1,
    y1 in input pixels) and scores (A, classes); `size`: its width and height."""
    boxes, scores = outputs[0][None], outputs[1][None]
    rows = select_objects(boxes, scores, **manifest["postprocess"])[0]  # best first
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
