"""A mix's accuracy on each source's images, logged as acc/<source> (then val/acc/<source>
and test/acc/<source> by callbacks/metrics.py), next to the overall accuracy.

A mix's validation and test batches carry each image's source after its label, so
paddle.Model hands it to the loss and the metrics as a second label.
"""

import numpy as np
import paddle


class SourceAccuracy(paddle.metric.Metric):
    def __init__(self, sources: list[str]) -> None:
        super().__init__()
        self.sources = sources
        self.reset()

    def reset(self) -> None:
        self.correct = np.zeros(len(self.sources))
        self.count = np.zeros(len(self.sources))

    def compute(self, pred, *labels):
        """(correct or not, source) per image; training batches carry no source."""
        if len(labels) < 2 or labels[0].dtype not in (paddle.int32, paddle.int64):
            return paddle.zeros([0]), paddle.zeros([0], dtype="int64")
        labels, sources = labels[0], labels[1]
        hit = pred.argmax(axis=-1) == labels.flatten()
        return hit.astype("float32"), sources.flatten()

    def update(self, hit, sources) -> None:
        hit, sources = np.asarray(hit), np.asarray(sources).astype(np.int64)
        n = len(self.sources)
        self.correct += np.bincount(sources, weights=hit, minlength=n)[:n]
        self.count += np.bincount(sources, minlength=n)[:n]

    def accumulate(self) -> list[float]:
        return list(self.correct / np.maximum(self.count, 1))

    def name(self) -> list[str]:
        return [f"acc/{source}" for source in self.sources]
