"""What an export of this classification project holds: the checkpoint's model, the layer
that is saved (the trained network without the model's uint8 input layer: the
manifest's preprocess does that part, so a server in any language can), what its
outputs mean, and how outputs score on the test split."""

import numpy as np

from ..checkpoint import load_classifier
from ..data.module import ImageClassificationData

load_model, TestData = load_classifier, ImageClassificationData  # exporter.py's
METRIC = "test/acc"
OUTPUTS = {
    "logits": "each class's score; softmax gives its probability (postprocess.py)"
}
POSTPROCESS = {"probabilities": "softmax of logits"}

TASK = "classification"


def saved_layer(model):
    return model.network.network


def reference(model, images: np.ndarray) -> list[np.ndarray]:
    """The checkpoint's outputs through the project's own path (uint8 in)."""
    return [np.asarray(o) for o in model.predict_batch([images])]


class Score:
    """METRIC of outputs added batch by batch."""

    def __init__(self, class_names: list[str], exported: bool) -> None:
        """`exported`: outputs of the export, postprocessed as a server would."""
        self.class_names, self.exported = class_names, exported
        self.right, self.total = 0, 0

    def add(self, outputs: list[np.ndarray], labels) -> None:
        labels = np.asarray(labels).reshape(-1)
        self.right += int((outputs[0].argmax(1) == labels).sum())
        self.total += len(labels)

    def value(self) -> float:
        return self.right / max(self.total, 1)
