"""Mixing pairs of training images, MixUp or CutMix, with soft labels to match, and
random erasing; plain tensor code, as paddle.vision.transforms has neither mixing.

A mixed batch leaves the network as (logits, mixing): row i of `mixing` weighs the
images whose labels make image i's soft label (its own, and its neighbour's). The loss
and the accuracy below read the labels through it.
"""

import random

import numpy as np
import paddle
import paddle.nn.functional as F
from paddle.vision import transforms


class Mixing:
    """images -> (mixed images, mixing); with both on, each batch draws one of them."""

    def __init__(self, mixup: float, cutmix: float) -> None:
        self.alphas = [
            (kind, a) for kind, a in (("mixup", mixup), ("cutmix", cutmix)) if a > 0
        ]

    def __call__(self, images):
        kind, alpha = random.choice(self.alphas)
        share = float(np.random.beta(alpha, alpha))  # of each image's own content
        partners = paddle.roll(images, 1, axis=0)  # image i mixes with image i-1
        if kind == "mixup":
            images = share * images + (1 - share) * partners
        else:  # CutMix: a box of the partner, of area 1 - share, pasted in
            images, share = paste_box(images, partners, share)
        eye = paddle.eye(images.shape[0])
        return images, share * eye + (1 - share) * paddle.roll(eye, 1, axis=0)


def paste_box(images, partners, share: float):
    """`partners` pasted into `images` in one random box; the share of the image left."""
    h, w = images.shape[2:]
    box_h, box_w = int(h * (1 - share) ** 0.5), int(w * (1 - share) ** 0.5)
    cy, cx = np.random.randint(h), np.random.randint(w)
    top, bottom = max(cy - box_h // 2, 0), min(cy + box_h // 2, h)
    left, right = max(cx - box_w // 2, 0), min(cx + box_w // 2, w)
    rows, cols = paddle.arange(h).reshape([h, 1]), paddle.arange(w).reshape([1, w])
    inside = (rows >= top) & (rows < bottom) & (cols >= left) & (cols < right)
    share = 1 - (bottom - top) * (right - left) / (h * w)
    return paddle.where(inside, partners, images), share


def erasing(probability: float):
    """Each normalised image erased (set to 0, the data's mean) in one random rectangle
    with `probability`; image by image, so each draws its own rectangle. None at 0."""
    if probability == 0:
        return None
    erase = transforms.RandomErasing(prob=probability)
    return lambda images: paddle.stack([erase(image) for image in images])


class MixedCrossEntropy(paddle.nn.Layer):
    """Cross-entropy against the labels, or for a mixed batch against soft labels."""

    def forward(self, logits, *labels):
        mixing, labels = read_labels(labels)
        if mixing is None:
            return F.cross_entropy(logits, labels)
        hard = F.one_hot(labels.flatten(), logits.shape[-1]).astype(logits.dtype)
        soft = paddle.matmul(mixing.astype(logits.dtype), hard)
        return F.cross_entropy(logits, soft, soft_label=True)


class MixedAccuracy(paddle.metric.Accuracy):
    """Top-k accuracy against each image's own label, mixed batch or not."""

    def compute(self, pred, *labels):
        return super().compute(pred, read_labels(labels)[1])


def read_labels(labels: tuple) -> tuple:
    """(mixing or None, labels) from what follows the logits: a mixed batch's mixing
    (floats) before its labels, or the labels, and in a mix's evaluation each image's
    source after them (callbacks/metrics.py's SourceAccuracy reads those)."""
    if labels[0].dtype in (paddle.float16, paddle.bfloat16, paddle.float32):
        return labels[0], labels[1]
    return None, labels[0]
