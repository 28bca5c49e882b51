"""Batch transforms that run where the batch is (on the GPU when there is one):
uint8 to normalised float, and random crop + horizontal flip for training."""

from functools import lru_cache

import torch
import torch.nn.functional as F


@lru_cache
def channel_stats(mean: tuple, std: tuple, device: torch.device):
    """Made once per device: a copy to the GPU every batch would wait for the GPU."""
    mean = torch.tensor(mean, device=device).view(1, -1, 1, 1)
    return mean, torch.tensor(std, device=device).view(1, -1, 1, 1)


def normalize(images: torch.Tensor, mean: tuple, std: tuple) -> torch.Tensor:
    """uint8 (N, C, H, W) in 0..255 to float, per-channel standardised."""
    mean, std = channel_stats(tuple(mean), tuple(std), images.device)
    return (images.float() / 255 - mean) / std


def random_crop(images: torch.Tensor, padding: int) -> torch.Tensor:
    """Pad by `padding` (reflecting the border), then crop each image at a random offset."""
    n, _, h, w = images.shape
    padded = F.pad(images, [padding] * 4, mode="reflect")
    dy = torch.randint(0, 2 * padding + 1, (n, 1, 1, 1), device=images.device)
    dx = torch.randint(0, 2 * padding + 1, (n, 1, 1, 1), device=images.device)
    rows = (torch.arange(h, device=images.device).view(1, 1, h, 1) + dy).expand(
        -1, -1, -1, w
    )
    cols = (torch.arange(w, device=images.device).view(1, 1, 1, w) + dx).expand(
        -1, -1, h, -1
    )
    channels = padded.shape[1]
    index = (rows * padded.shape[3] + cols).expand(-1, channels, -1, -1)
    return padded.flatten(2).gather(2, index.flatten(2)).view(n, channels, h, w)


def random_flip(images: torch.Tensor) -> torch.Tensor:
    """Mirror a random half of the images left to right."""
    flip = torch.rand(images.shape[0], 1, 1, 1, device=images.device) < 0.5
    return torch.where(flip, images.flip(3), images)


def train_transform(images: torch.Tensor, info, augment) -> torch.Tensor:
    images = normalize(images, info.mean, info.std)
    if augment.random_crop_padding > 0:
        images = random_crop(images, augment.random_crop_padding)
    if augment.horizontal_flip:
        images = random_flip(images)
    return images
