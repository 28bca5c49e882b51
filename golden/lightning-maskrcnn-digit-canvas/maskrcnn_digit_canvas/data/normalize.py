"""uint8 batches to the normalised floats a network takes, where the batch is."""

from functools import lru_cache

import torch


@lru_cache
def channel_stats(mean: tuple, std: tuple, device: torch.device):
    """Made once per device: a copy to the GPU every batch would wait for the GPU."""
    mean = torch.tensor(mean, device=device).view(1, -1, 1, 1)
    return mean, torch.tensor(std, device=device).view(1, -1, 1, 1)


def normalize(images: torch.Tensor, mean: tuple, std: tuple) -> torch.Tensor:
    """uint8 (N, C, H, W) in 0..255 to float, per-channel standardised."""
    mean, std = channel_stats(tuple(mean), tuple(std), images.device)
    return (images.float() / 255 - mean) / std
