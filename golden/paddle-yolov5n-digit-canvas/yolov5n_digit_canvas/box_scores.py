"""COCO's mean average precision of an epoch's boxes, by pycocotools' own evaluation,
set up as the Lightning twin's torchmetrics MeanAveragePrecision(backend="pycocotools")
sets it up (the classes are those either side names; boxes as x, y, width, height), so
that both twins score the same boxes the same."""

import contextlib
import io

import numpy as np
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval


def box_scores(found: list[np.ndarray], truths: list[np.ndarray]) -> dict:
    """`found`: per image, (k, 6) float32 x1, y1, x2, y2, score, class; `truths`: per
    image, (m, 5) float32 class, x1, y1, x2, y2. {"map", "map50", "map75"} (-1 with no
    image), and "ap": {class index: AP} for each class with a true box."""
    if not truths:
        return {"map": -1.0, "map50": -1.0, "map75": -1.0, "ap": {}}
    labels = [table[:, 5] for table in found] + [table[:, 0] for table in truths]
    classes = sorted({int(c) for c in np.concatenate(labels)})
    guesses = [(table[:, :4], table[:, 5], table[:, 4]) for table in found]
    answers = [(table[:, 1:5], table[:, 0], None) for table in truths]
    with contextlib.redirect_stdout(io.StringIO()):  # pycocotools prints as it goes
        evaluation = COCOeval(
            dataset(answers, classes), dataset(guesses, classes), "bbox"
        )
        evaluation.evaluate()
        evaluation.accumulate()
        evaluation.summarize()
    # precision per IoU threshold, recall threshold and class; all areas, 100 boxes
    precision = evaluation.eval["precision"][:, :, :, 0, -1]
    per_class = {}
    for position, index in enumerate(evaluation.params.catIds):
        known = precision[:, :, position][precision[:, :, position] > -1]
        if known.size:  # a class with no true box has no AP
            per_class[index] = float(known.mean())
    stats = [float(value) for value in evaluation.stats[:3]]
    return dict(zip(("map", "map50", "map75"), stats, strict=True)) | {"ap": per_class}


def dataset(images: list, classes: list[int]) -> COCO:
    """A COCO object of (corners, classes, scores or None) per image, its ids as the
    image's position; annotation ids from 1 (COCOeval treats id 0 as none)."""
    annotations = []
    for image_id, (corners, labels, scores) in enumerate(images):
        sizes = corners[:, 2:4] - corners[:, :2]  # in float32, as torchvision's
        for k, (box, size) in enumerate(
            zip(corners[:, :2].tolist(), sizes.tolist(), strict=True)
        ):
            annotation = {"id": len(annotations) + 1, "image_id": image_id}
            annotation |= {"bbox": box + size, "area": size[0] * size[1], "iscrowd": 0}
            annotation["category_id"] = int(labels[k])
            if scores is not None:
                annotation["score"] = float(scores[k])
            annotations.append(annotation)
    coco = COCO()
    coco.dataset = {
        "images": [{"id": image_id} for image_id in range(len(images))],
        "annotations": annotations,
        "categories": [{"id": index} for index in classes],
    }
    coco.createIndex()
    return coco
