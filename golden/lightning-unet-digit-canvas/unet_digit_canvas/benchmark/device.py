"""bench.py's view of the device: its name, a wait for its queued work, its peak memory."""

import torch

from ..records.environment import versions as run_versions


def name() -> str:
    return torch.cuda.get_device_name() if torch.cuda.is_available() else "CPU"


def versions() -> dict:
    found = run_versions()
    return {key: found[key] for key in ("torch", "pytorch-lightning")}


def sync() -> None:
    """Kernels run asynchronously: time a step only once the GPU has finished it."""
    if torch.cuda.is_available():
        torch.cuda.synchronize()


def reset_peak() -> None:
    if torch.cuda.is_available():
        torch.cuda.reset_peak_memory_stats()


def peak_mb() -> float | None:
    """The most memory tensors held on the GPU since reset_peak(); None on CPU."""
    if not torch.cuda.is_available():
        return None
    return torch.cuda.max_memory_allocated() / 2**20
