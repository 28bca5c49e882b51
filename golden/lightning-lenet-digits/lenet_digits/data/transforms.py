"""Batch transforms that run where the batch is (on the GPU when there is one): uint8
to normalised float, and for training the ops of data.augment before it, random
erasing and mixing after it. Evaluation only normalises."""

import torch

from .augment import Augmentation
from .mixing import erasing, mixing
from .normalize import normalize

# id(data config) -> (that config, its training steps): holding the config keeps its id
# from passing to another, and a lookup costs nothing next to the steps.
BUILT: dict[int, tuple] = {}


def training_steps(cfg, info) -> tuple:
    """The ops, erasing and mixing of a data config, made once."""
    if id(cfg) not in BUILT:
        steps = (
            Augmentation(cfg.augment, info.channels, info.image_size),
            erasing(cfg.random_erasing),
            mixing(cfg.mixup, cfg.cutmix, info.num_classes),
        )
        BUILT[id(cfg)] = cfg, steps
    return BUILT[id(cfg)][1]


def train_transform(images: torch.Tensor, labels: torch.Tensor, info, cfg):
    """A training batch: augmented, normalised, erased and mixed; the labels as soft
    labels (N, classes) when mixed, else as they came."""
    augment, erase, mix = training_steps(cfg, info)
    images = normalize(augment(images), info.mean, info.std)
    if erase is not None:
        images = erase(images)
    if mix is not None:
        images, labels = mix(images, labels)
    return images, labels
