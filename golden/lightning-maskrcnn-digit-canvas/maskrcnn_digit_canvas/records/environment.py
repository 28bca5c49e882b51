"""Where a run ran: package versions, hardware, and the size of the model."""

import os
import platform
from importlib.metadata import PackageNotFoundError, version

import torch

PACKAGES = ["torchvision", "pytorch-lightning", "torchmetrics", "omegaconf", "numpy"]


def versions() -> dict:
    found = {
        "python": platform.python_version(),
        "torch": torch.__version__,  # with its build: +cpu, +cu130
        "cuda": torch.version.cuda,
    }
    for package in PACKAGES:
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = None
    return found


def trainable_parameters(model) -> int:
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def hardware(trainer) -> dict:
    gpus = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
    cluster = getattr(trainer.strategy, "cluster_environment", None)
    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "gpus": gpus,
        "accelerator": type(trainer.accelerator).__name__.removesuffix("Accelerator"),
        "devices": trainer.num_devices,
        "precision": trainer.precision,
        # Lightning's reading of the launcher: SLURMEnvironment, TorchElasticEnvironment, ...
        "cluster_environment": type(cluster).__name__ if cluster else None,
    }
