"""The precision trainer.precision gives on this machine (trainer.py decides it), and
whether the GPU has bf16 and fp16 for it."""

from ..errors import UserError
from .findings import Finding


def check(cfg) -> Finding:
    import paddle

    from ..trainer import gpu_available, resolve_precision

    asked = cfg.trainer.precision if cfg is not None else "auto"
    accelerator = cfg.trainer.accelerator if cfg is not None else "auto"
    try:
        chosen = resolve_precision(asked, accelerator)
    except UserError as error:
        fix = "trainer.precision=auto: the best this machine has"
        return Finding("precision", "fail", str(error), fix)
    if not gpu_available(accelerator):
        return Finding(
            "precision", "ok", f"trainer.precision={asked}: {chosen} on the CPU"
        )
    major, minor = paddle.device.cuda.get_device_capability()
    bf16 = major >= 8  # Ampere and newer: what trainer.py's auto reads too
    found = (
        f"trainer.precision={asked}: {chosen} (compute capability {major}.{minor}:"
        f" bf16 {'yes' if bf16 else 'no'}, fp16 {'yes' if major >= 7 else 'slow'})"
    )
    if chosen.startswith("bf16") and not bf16:
        return Finding("precision", "fail", found, "trainer.precision=auto (16-mixed)")
    return Finding("precision", "ok", found)
