"""What the test pass answered, kept for the run's report (reporting/report.py): the
tested model's answers for the test batches, saved with a few test images to the
run's test_outputs.npz."""

from pathlib import Path

import numpy as np

from .prediction_files import found_boxes
from .reporting.test_outputs import TestOutputs, pictures

# Every box COCO's mAP scores (at most 100 an image), not only those predict.py shows
# (0.25 or more): the report's precision-recall curves run down to them.
SCORED, MOST = 0.001, 100


def as_array(value) -> np.ndarray:
    return value.numpy() if hasattr(value, "numpy") else np.asarray(value)


def keep_answers(model, loader, run_dir: Path) -> None:
    """Answer `loader`'s batches with `model` (a paddle.Model), as the test did."""
    kept = TestOutputs("detection", model.data["class_names"])
    for batch in loader:
        images = as_array(batch[0])
        targets = as_array(batch[1])  # image, class, centre x, centre y, width, height
        scale = np.array([images.shape[3], images.shape[2]] * 2, np.float32)
        centres, sizes = targets[:, 2:4], targets[:, 4:6]
        corners = np.concatenate([centres - sizes / 2, centres + sizes / 2], 1)
        truth = [
            np.concatenate([corners[mine] / scale, targets[mine, 1:2]], 1)
            for mine in (targets[:, 0] == index for index in range(len(images)))
        ]
        found = found_boxes(model, images, SCORED, MOST)
        kept.add_boxes(pictures(images), truth, found)
    kept.save(run_dir)
