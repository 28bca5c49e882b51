"""Does torch see a GPU, and if not, why: GPUs hidden by CUDA_VISIBLE_DEVICES, no NVIDIA
driver, torch's CPU build on a machine with a GPU, or a driver older than the CUDA
torch was built for."""

import warnings

from . import nvidia
from .findings import Finding
from .versions import REQUIREMENTS, pins

CUDA_WHEELS = "https://download.pytorch.org/whl/cu126"  # the GPU Dockerfile's index


def why_not(torch, said: list[str]) -> tuple[str, str]:
    """Why torch sees no GPU, and the fix."""
    if (hidden := nvidia.hidden()) is not None:
        return (
            f"CUDA_VISIBLE_DEVICES={hidden!r} hides them",
            "unset CUDA_VISIBLE_DEVICES",
        )
    driver = nvidia.driver()
    if driver is None:
        return "no NVIDIA driver (nvidia-smi finds none)", "install NVIDIA's driver"
    if torch.version.cuda is None:
        pinned = pins(REQUIREMENTS.read_text()) if REQUIREMENTS.is_file() else {}
        wheels = " ".join(
            f"{name}=={pinned[name]}"
            for name in ("torch", "torchvision")
            if name in pinned
        )
        why = f"torch {torch.__version__} is the CPU build ({driver})"
        return why, f"pip install --force-reinstall {wheels} --index-url {CUDA_WHEELS}"
    why = f"{driver}, torch built for CUDA {torch.version.cuda}"
    why += f": {said[0]}" if said else ""
    fix = (
        f"a driver for CUDA {torch.version.cuda} (nvidia-smi shows the CUDA a driver"
        " takes), or torch built for an older CUDA (https://download.pytorch.org/whl/)"
    )
    return why, fix


def check(cfg) -> Finding:
    import torch

    accelerator = cfg.trainer.accelerator if cfg is not None else "auto"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        available = torch.cuda.is_available()  # warns why, where a driver is too old
    if available:
        names = [
            torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())
        ]
        found = f"{len(names)} x {names[0]}, torch {torch.__version__}"
        driver = nvidia.driver()
        version = driver.version if driver else "?"
        found += f" (CUDA {torch.version.cuda}, driver {version})"
        unused = "; unused: trainer.accelerator=cpu" if accelerator == "cpu" else ""
        return Finding("gpu", "ok", found + unused)
    why, fix = why_not(torch, [str(w.message).splitlines()[0] for w in caught])
    if accelerator in ("gpu", "cuda"):
        found = f"trainer.accelerator={accelerator}, but torch sees no GPU: {why}"
        return Finding("gpu", "fail", found, f"{fix}, or trainer.accelerator=auto")
    found = f"none visible to torch: {why}; runs train on the CPU"
    if nvidia.driver() is None:  # a machine without a GPU: nothing to mend
        return Finding("gpu", "ok", found)
    return Finding("gpu", "warn", found, fix)
