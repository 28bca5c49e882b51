"""What an export of this segmentation project holds: the checkpoint's model, the layer
that is saved (the trained network without the model's uint8 input layer: the
manifest's preprocess does that part, so a server in any language can), what its
outputs mean, and how outputs score on the test split."""

import numpy as np

from ..checkpoint import load_segmenter
from ..data.segmentation_data import SegmentationData
from ..segmentation_scores import confusion_matrix, segmentation_scores
from ..segmenter import IGNORED

load_model, TestData = load_segmenter, SegmentationData  # exporter.py's
METRIC = "test/miou"
OUTPUTS = {"logits": "each pixel's score per class; its class is the largest (argmax)"}
POSTPROCESS = {"classes": "argmax of logits, axis 1"}

TASK = "segmentation"


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
        count = len(class_names)
        self.confusion = np.zeros((count, count), dtype=np.int64)

    def add(self, outputs: list[np.ndarray], masks) -> None:
        count = len(self.class_names)
        predicted = outputs[0].argmax(1)
        masks = np.asarray(masks)
        self.confusion += confusion_matrix(predicted, masks, count, IGNORED)

    def value(self) -> float:
        return segmentation_scores(self.confusion)["miou"]
