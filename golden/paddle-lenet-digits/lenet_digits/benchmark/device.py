"""bench.py's view of the device: its name, a wait for its queued work, its peak memory."""

import paddle

from ..records.environment import versions as run_versions


def on_gpu() -> bool:
    return paddle.device.get_device().startswith("gpu")


def name() -> str:
    return paddle.device.cuda.get_device_name() if on_gpu() else "CPU"


def versions() -> dict:
    return {"paddlepaddle": run_versions()["paddlepaddle"]}


def sync() -> None:
    """Kernels run asynchronously: time a step only once the GPU has finished it."""
    if on_gpu():
        paddle.device.cuda.synchronize()


def reset_peak() -> None:
    if on_gpu():
        paddle.device.cuda.reset_max_memory_allocated()


def peak_mb() -> float | None:
    """The most memory tensors held on the GPU since reset_peak(); None on CPU."""
    if not on_gpu():
        return None
    return paddle.device.cuda.max_memory_allocated() / 2**20
