"""Where a run ran: package versions, hardware, and the size of the model."""

import os
import platform
from importlib.metadata import PackageNotFoundError, version

import paddle

PACKAGES = ["omegaconf", "numpy", "scikit-learn", "tensorboard"]


def versions() -> dict:
    found = {
        "python": platform.python_version(),
        "paddlepaddle": paddle.__version__,
        "cuda": (
            paddle.version.cuda() if paddle.device.is_compiled_with_cuda() else None
        ),
    }
    for package in PACKAGES:
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = None
    return found


def trainable_parameters(network) -> int:
    return sum(int(p.size) for p in network.parameters() if not p.stop_gradient)


def hardware(precision: str) -> dict:
    gpus = (
        paddle.device.cuda.device_count()
        if paddle.device.is_compiled_with_cuda()
        else 0
    )
    place = paddle.device.get_device()  # "cpu" or "gpu:0"
    parallel = paddle.distributed.get_world_size() > 1
    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "gpus": [paddle.device.cuda.get_device_name(i) for i in range(gpus)],
        "accelerator": "CUDA" if place.startswith("gpu") else "CPU",
        "devices": paddle.distributed.get_world_size(),
        "precision": precision,
        # what holds the processes together (Lightning: its cluster environment's class)
        "cluster_environment": "ParallelEnv" if parallel else None,
    }
