"""What an export of this detection project holds: the checkpoint's model, the layer
that is saved (the trained network without the model's uint8 input layer: the
manifest's preprocess does that part, so a server in any language can), what its
outputs mean, and how outputs score on the test split."""

import numpy as np
import paddle
from paddle import nn

from ..box_scores import box_scores
from ..checkpoint import load_detector
from ..data.detection_data import DetectionData
from ..models.yolo_boxes import best_boxes, candidates
from .postprocess import select_objects

load_model, TestData = load_detector, DetectionData  # exporter.py's
METRIC = "test/map50"
OUTPUTS = {
    "boxes": "every candidate box: x1, y1, x2, y2 in input pixels",
    "scores": "each candidate's score per class (objectness x class probability)",
}
# predict.py's choice (exporting/postprocess.py select_objects' arguments)
POSTPROCESS = {"score_threshold": 0.25, "iou_threshold": 0.6}
POSTPROCESS |= {"max_detections": 300, "max_candidates": 30000}

TASK = "detection"


class Candidates(nn.Layer):
    """YOLOv5's decoded boxes and scores before NMS: thresholds and NMS stay out of
    the graph, so a server chooses them."""

    def __init__(self, network: nn.Layer) -> None:
        super().__init__()
        self.network = network

    def forward(self, images):
        return candidates(self.network(images), self.network)


def saved_layer(model) -> nn.Layer:
    return Candidates(model.network.network)


def reference(model, images: np.ndarray) -> list[np.ndarray]:
    """The checkpoint's outputs through the project's own path (uint8 in)."""
    raw = [paddle.to_tensor(o) for o in model.predict_batch([images])]
    return [t.numpy() for t in candidates(raw, model.network.network)]


class Score:
    """METRIC of outputs added batch by batch."""

    def __init__(self, class_names: list[str], exported: bool) -> None:
        """`exported`: outputs of the export, postprocessed as a server would."""
        self.class_names, self.exported = class_names, exported
        self.found, self.truths = [], []

    def add(self, outputs: list[np.ndarray], targets) -> None:
        """`targets`: the loss's (image, class, cx, cy, w, h) rows."""
        targets = np.asarray(targets)
        centres, sizes = targets[:, 2:4], targets[:, 4:6]
        corners = np.concatenate([centres - sizes / 2, centres + sizes / 2], 1)
        truths = np.concatenate([targets[:, 1:2], corners], 1).astype(np.float32)
        # as validation keeps boxes: scores above 0.001, at most COCO's 100 an image
        if self.exported:  # by the numpy postprocess a server runs
            self.found += select_objects(*outputs, 0.001, 0.6, max_detections=100)
        else:  # by the project's own decoding
            for boxes, scores in zip(*outputs, strict=True):
                boxes, scores = paddle.to_tensor(boxes), paddle.to_tensor(scores)
                self.found.append(best_boxes(boxes, scores, 0.001, 0.6)[:100].numpy())
        self.truths += [truths[targets[:, 0] == i] for i in range(len(outputs[0]))]

    def value(self) -> float:
        return box_scores(self.found, self.truths)["map50"]
