"""What the report needs of the test pass, kept batch by batch and saved to the run's
test_outputs.npz: every answer (classes, pixels or boxes) in small arrays, and a few
test images with what the network made of them. numpy only: both twins fill it."""

import io
from pathlib import Path

import numpy as np

from ..records.run_dir import write_bytes

FILE = "test_outputs.npz"
PICTURES = 16  # images kept: right and wrong answers (classes) or the first ones
IGNORED = 255  # mask pixels no class is scored on (as the segmenter skips them)


class TestOutputs:
    def __init__(self, task: str, class_names: list[str]) -> None:
        self.task, self.names = task, list(class_names)
        self.arrays: dict[str, list] = {}
        self.seen = 0  # test images so far
        self.confusion = np.zeros((len(self.names),) * 2, np.int64)

    def keep(self, name: str, *values) -> None:
        self.arrays.setdefault(name, []).extend(values)

    def add_classes(self, images, labels, probabilities) -> None:
        """`images` uint8 (N, H, W, 3); `labels` (N,); `probabilities` (N, classes)."""
        predicted = probabilities.argmax(1)
        self.keep("labels", *labels)
        self.keep("predicted", *predicted)
        self.keep("confidence", *probabilities.max(1))
        for kind, right in (("right", True), ("wrong", False)):  # half and half
            kept = self.arrays.get(f"{kind}_images", [])
            chosen = np.flatnonzero((predicted == labels) == right)
            chosen = chosen[: PICTURES // 2 - len(kept)]
            self.keep(f"{kind}_images", *images[chosen])
            self.keep(
                f"{kind}_answers", *zip(labels[chosen], predicted[chosen], strict=True)
            )

    def add_masks(self, images, truth, predicted) -> None:
        """uint8 images (N, H, W, 3), class masks truth and predicted (N, H, W)."""
        scored = truth != IGNORED
        pairs = truth[scored].astype(np.int64) * len(self.names) + predicted[scored]
        self.confusion += np.bincount(pairs, minlength=self.confusion.size).reshape(
            self.confusion.shape
        )
        self.add_pictures(images, truth=truth, predicted=predicted)

    def add_boxes(self, images, truth: list, found: list, objects=None) -> None:
        """Per image, `truth` (k, 5) of x1, y1, x2, y2 (shares of the width and
        height), class; `found` (k, 6) of the same four, score, class; `objects`
        (instances): uint8 (N, H, W), 1 + the class shown on each pixel (0: none)."""
        for offset, (true, answer) in enumerate(zip(truth, found, strict=True)):
            image = np.full((len(true), 1), self.seen + offset)
            self.keep("truth_boxes", *np.concatenate([image, true], 1))
            image = np.full((len(answer), 1), self.seen + offset)
            self.keep("found_boxes", *np.concatenate([image, answer], 1))
        self.add_pictures(images, **({} if objects is None else {"objects": objects}))

    def add_pictures(self, images, **masks) -> None:
        wanted = max(0, min(len(images), PICTURES // 2 - self.seen))
        self.keep("images", *images[:wanted])
        for name, values in masks.items():
            self.keep(name, *values[:wanted])
        self.seen += len(images)

    def save(self, run_dir: Path) -> None:
        arrays = {name: np.asarray(values) for name, values in self.arrays.items()}
        arrays |= {"task": np.asarray(self.task), "class_names": np.asarray(self.names)}
        if self.task == "segmentation":
            arrays["confusion"] = self.confusion
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **arrays)
        write_bytes(run_dir / FILE, buffer.getvalue())


def pictures(images: np.ndarray, mean=None, std=None) -> np.ndarray:
    """Network inputs (N, C, H, W), normalised with `mean` and `std` (or uint8 as
    decoded), as uint8 RGB pictures (N, H, W, 3)."""
    images = np.asarray(images, np.float32)
    if mean is not None:
        shape = (1, -1, 1, 1)
        images = (images * np.reshape(std, shape) + np.reshape(mean, shape)) * 255
    images = np.clip(images, 0, 255).astype(np.uint8).transpose(0, 2, 3, 1)
    return np.repeat(images, 3, axis=3) if images.shape[3] == 1 else images
