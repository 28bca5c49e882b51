"""/predict's answer for one image of a classifier: the most likely class and the
probability of each class."""

import numpy as np


def answer(outputs: list[np.ndarray], size: tuple[int, int], manifest: dict) -> dict:
    """`outputs`: the model's for one image, its logits (classes,) first; `size` (the
    image's width and height) does not change a class."""
    logits = outputs[0].astype(np.float64)
    probabilities = np.exp(logits - logits.max())
    probabilities /= probabilities.sum()
    names = manifest["class_names"]
    best = int(probabilities.argmax())
    return {
        "label": names[best],
        "score": round(float(probabilities[best]), 6),
        "scores": {
            n: round(float(p), 6) for n, p in zip(names, probabilities, strict=True)
        },
    }
