"""Batch transforms that run where the batch is (on the GPU when there is one): uint8
to normalised float, and for training the ops of data.augment before it, random
erasing and mixing after it. Evaluation only normalises."""

from functools import lru_cache

import torch
from omegaconf import OmegaConf

from .augment import Augmentation
from .mixing import erasing, mixing


@lru_cache
def channel_stats(mean: tuple, std: tuple, device: torch.device):
    """Made once per device: a copy to the GPU every batch would wait for the GPU."""
    mean = torch.tensor(mean, device=device).view(1, -1, 1, 1)
    return mean, torch.tensor(std, device=device).view(1, -1, 1, 1)


def normalize(images: torch.Tensor, mean: tuple, std: tuple) -> torch.Tensor:
    """uint8 (N, C, H, W) in 0..255 to float, per-channel standardised."""
    mean, std = channel_stats(tuple(mean), tuple(std), images.device)
    return (images.float() / 255 - mean) / std


@lru_cache(maxsize=4)
def training_steps(data_yaml: str, channels: int, size: int, num_classes: int):
    """The ops, erasing and mixing of a data config (given as YAML: hashable), made
    once."""
    cfg = OmegaConf.create(data_yaml)
    augment = Augmentation(cfg.augment, channels, size)
    return (
        augment,
        erasing(cfg.random_erasing),
        mixing(cfg.mixup, cfg.cutmix, num_classes),
    )


def train_transform(images: torch.Tensor, labels: torch.Tensor, info, cfg):
    """A training batch: augmented, normalised, erased and mixed; the labels as soft
    labels (N, classes) when mixed, else as they came."""
    keys = {key: cfg[key] for key in ("augment", "random_erasing", "mixup", "cutmix")}
    augment, erase, mix = training_steps(
        OmegaConf.to_yaml(keys), info.channels, info.image_size, info.num_classes
    )
    images = normalize(augment(images), info.mean, info.std)
    if erase is not None:
        images = erase(images)
    if mix is not None:
        images, labels = mix(images, labels)
    return images, labels
