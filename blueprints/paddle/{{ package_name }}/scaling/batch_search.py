"""data.batch_size=auto on a GPU: the largest batch whose forward and backward pass
fits, less the headroom scaling.batch_headroom keeps (for the optimizer's state, which
this search leaves out, the validation batch and the allocator's own share).

The search doubles the batch from 2, on real training batches, until paddle runs out
of memory (its ResourceExhaustedError reaches Python as a MemoryError).
"""

import paddle

from ..errors import UserError

MOST = 8192  # the search stops here even when memory is left


def step_fits(network, data, batch_size: int, precision: str) -> bool:
    data.cfg.batch_size = batch_size
    half = {"bf16-mixed": "bfloat16", "16-mixed": "float16"}
    try:
        images = next(iter(data.loader("train", True)))[0]
        with paddle.amp.auto_cast(
            precision in half, level="O1", dtype=half.get(precision, "float16")
        ):
            outputs = network(images)
        outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
        loss = sum(output.astype("float32").mean() for output in outputs)
        loss.backward()
        network.clear_gradients()
        paddle.device.synchronize()
        return True
    except MemoryError:
        network.clear_gradients()
        return False


def largest_batch(network, data, cfg, precision: str) -> tuple[int, str]:
    """(batch, why): the batch for data.batch_size=auto on this GPU."""
    network.train()
    fits, size = 0, 2
    images = len(data.splits["train"])
    while size <= min(MOST, images) and step_fits(network, data, size, precision):
        fits, size = size, size * 2
    paddle.device.cuda.empty_cache()
    card = paddle.device.cuda.get_device_name()
    if not fits:
        raise UserError(
            f"data.batch_size=auto: a batch of 2 does not fit on {card}; free the GPU"
            " (nvidia-smi), or use trainer.precision=bf16-mixed or a smaller model"
        )
    kept = max(int(fits * (1 - cfg.scaling.batch_headroom)), 1)
    kept = kept // 8 * 8 or kept  # a multiple of 8 suits the GPU's matrix units
    return kept, (
        f"auto: {fits} fit on {card}, {kept} keeps"
        f" {cfg.scaling.batch_headroom:.0%} headroom"
    )
