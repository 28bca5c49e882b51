"""/predict's answer for one image of a classifier: the most likely class and the
probability of each class."""

import numpy as np

from ..exporting.postprocess import probabilities


def answer(outputs: list[np.ndarray], size: tuple[int, int], manifest: dict) -> dict:
    """`outputs`: the model's for one image, its logits (classes,) first; `size` (the
    image's width and height) does not change a class."""
    shares = probabilities(outputs[0][None])[0]
    names = manifest["class_names"]
    best = int(shares.argmax())
    return {
        "label": names[best],
        "score": round(float(shares[best]), 6),
        "scores": {n: round(float(p), 6) for n, p in zip(names, shares, strict=True)},
    }
