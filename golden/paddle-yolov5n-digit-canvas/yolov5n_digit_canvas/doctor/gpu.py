"""Does paddle see a GPU, and if not, why: GPUs hidden by CUDA_VISIBLE_DEVICES, no
NVIDIA driver, the paddlepaddle CPU wheel on a machine with a GPU (requirements.txt pins
the CPU wheel; the GPU wheel is paddlepaddle-gpu), or a driver paddle's CUDA cannot use.
"""

from . import nvidia
from .findings import Finding
from .versions import installed

GPU_WHEELS = (
    "https://www.paddlepaddle.org.cn/packages/stable/cu126/"  # Dockerfile.gpu's
)


def why_not(paddle) -> tuple[str, str]:
    """Why paddle sees no GPU, and the fix."""
    if (hidden := nvidia.hidden()) is not None:
        return (
            f"CUDA_VISIBLE_DEVICES={hidden!r} hides them",
            "unset CUDA_VISIBLE_DEVICES",
        )
    driver = nvidia.driver()
    if not paddle.device.is_compiled_with_cuda():
        wheel, version = installed("paddlepaddle")
        why = f"{wheel} {version} is the CPU wheel"
        if driver is None:
            return f"{why}, and no NVIDIA driver (nvidia-smi finds none)", (
                "install NVIDIA's driver, then the GPU wheel"
            )
        fix = (
            f"pip uninstall -y {wheel} && pip install paddlepaddle-gpu=={version}"
            f" -i {GPU_WHEELS}"
        )
        return f"{why} ({driver})", fix
    if driver is None:
        return "no NVIDIA driver (nvidia-smi finds none)", "install NVIDIA's driver"
    why = f"{driver}, paddle built for CUDA {paddle.version.cuda()}"
    fix = (
        f"a driver for CUDA {paddle.version.cuda()} (nvidia-smi shows the CUDA a driver"
        " takes), or paddlepaddle-gpu built for an older CUDA"
        " (https://www.paddlepaddle.org.cn/install)"
    )
    return why, fix


def check(cfg) -> Finding:
    import paddle

    from ..trainer import gpu_available

    accelerator = cfg.trainer.accelerator if cfg is not None else "auto"
    if gpu_available("gpu"):
        count = paddle.device.cuda.device_count()
        name = paddle.device.cuda.get_device_name(0)
        found = f"{count} x {name}, paddle {paddle.__version__}"
        driver = nvidia.driver()
        version = driver.version if driver else "?"
        found += f" (CUDA {paddle.version.cuda()}, driver {version})"
        unused = "; unused: trainer.accelerator=cpu" if accelerator == "cpu" else ""
        return Finding("gpu", "ok", found + unused)
    why, fix = why_not(paddle)
    if accelerator in ("gpu", "cuda"):
        found = f"trainer.accelerator={accelerator}, but paddle sees no GPU: {why}"
        return Finding("gpu", "fail", found, f"{fix}, or trainer.accelerator=auto")
    found = f"none visible to paddle: {why}; runs train on the CPU"
    if nvidia.driver() is None:  # a machine without a GPU: nothing to mend
        return Finding("gpu", "ok", found)
    return Finding("gpu", "warn", found, fix)
