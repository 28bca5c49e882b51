"""What the test pass answered, kept for the run's report (reporting/report.py): the
tested model's answers for the test batches, saved with a few test images to the
run's test_outputs.npz."""

from pathlib import Path

import numpy as np

from .reporting.test_outputs import TestOutputs, pictures


def as_array(value) -> np.ndarray:
    return value.numpy() if hasattr(value, "numpy") else np.asarray(value)


def keep_answers(model, loader, run_dir: Path) -> None:
    """Answer `loader`'s batches with `model` (a paddle.Model), as the test did."""
    kept = TestOutputs("classification", model.data["class_names"])
    for batch in loader:
        images = as_array(batch[0])
        (logits,) = model.predict_batch([images])
        exp = np.exp(logits - logits.max(1, keepdims=True))
        probabilities = exp / exp.sum(1, keepdims=True)
        kept.add_classes(pictures(images), as_array(batch[1]), probabilities)
    kept.save(run_dir)
