"""Out of memory (a GPU's, or the host's on a CPU run), explained in one line with what
to lower, never a raw trace."""

from ..errors import UserError


def out_of_memory(error: BaseException) -> bool:
    """torch.cuda.OutOfMemoryError, paddle's MemoryError (its ResourceExhaustedError),
    a CUDA library's failed allocation, or torch's CPU allocator's (a RuntimeError)."""
    text = str(error)
    return (
        type(error).__name__ == "OutOfMemoryError"
        or isinstance(error, MemoryError)
        or "CUDA out of memory" in text
        or "ALLOC_FAILED" in text
        or "DefaultCPUAllocator: can't allocate memory" in text
    )


def explained(error: BaseException, cfg, step: int) -> BaseException:
    """The error to raise: a one-line UserError for an out-of-memory, else `error`."""
    if not out_of_memory(error):
        return error
    batch = cfg.data.batch_size
    smaller = max(int(batch) // 2, 1)
    return UserError(
        f"out of memory at step {step} with data.batch_size={batch} per process"
        f" (trainer.precision={cfg.trainer.precision}): lower data.batch_size (e.g."
        f" {smaller}) or set data.batch_size=auto, keep the images per step with"
        " scaling.effective_batch_size, or use trainer.precision=bf16-mixed"
    )
