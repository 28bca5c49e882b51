"""paddle.Model's training step without its per-step extras: the same forward, loss,
backward, update and metrics as paddle.hapi's own, minus a copy of every input and
label tensor (paddle.to_tensor of a tensor copies it), a disabled `auto_cast` entered
at every step and `add_n` of a single loss; it updates with `step`, as a hand loop
does, where paddle calls `minimize` (the same update). Leaving them out saved 0.2-0.4
ms of CPU a step, 5-10% of a 3-4 ms lenet/digits step (BENCHMARKS.md, "The Paddle twin
on CPU"); on resnet18 nothing measurable. Mixed precision, accumulation (`update=False`:
the gradients add up until the step that updates) and data parallel processes keep
paddle's own calls (GradScaler, DataParallel)."""

import types

import paddle
from paddle.hapi.model import _update_input_info, to_list, to_numpy


def as_tensor(value):
    return value if isinstance(value, paddle.Tensor) else paddle.to_tensor(value)


def train_batch(adapter, inputs, labels=None, update=True):
    """paddle.hapi.model.DynamicGraphAdapter.train_batch, lean (same return value)."""
    model, optimizer = adapter.model, adapter.model._optimizer
    model.network.train()
    adapter.mode = "train"
    inputs = [as_tensor(x) for x in to_list(inputs)]
    adapter._input_info = _update_input_info(inputs)
    labels = [as_tensor(y) for y in to_list(labels or [])]
    mixed = adapter._amp_level != "O0"
    if mixed and model._scaler is None:  # made once, as paddle does
        model._scaler = paddle.amp.GradScaler(**adapter._amp_configs)
    network = adapter.ddp_model if adapter._nranks > 1 else model.network
    if mixed:
        with paddle.amp.auto_cast(
            **adapter._amp_custom_lists, level=adapter._amp_level
        ):
            outputs = network(*inputs)
    else:  # entering auto_cast, even disabled, costs more than a lenet layer
        outputs = network(*inputs)
    losses = to_list(model._loss(*(to_list(outputs) + labels)))
    loss = losses[0] if len(losses) == 1 else paddle.add_n(losses)
    if mixed:
        scaled = model._scaler.scale(loss)
        scaled.backward()
        if update:
            model._scaler.minimize(optimizer, scaled)
            optimizer.clear_grad()
    else:
        loss.backward()
        if update:
            optimizer.step()
            optimizer.clear_grad()
    metrics = []
    for metric in model._metrics:
        computed = metric.compute(*(to_list(outputs) + labels))
        metrics.append(metric.update(*[to_numpy(m) for m in to_list(computed)]))
    values = [to_numpy(one) for one in losses]
    return (values, metrics) if metrics else values


def lean(model: paddle.Model) -> paddle.Model:
    """`model`, whose fit() now takes lean training steps (dygraph only)."""
    adapter = model._adapter
    if isinstance(adapter, paddle.hapi.model.DynamicGraphAdapter):
        adapter.train_batch = types.MethodType(train_batch, adapter)
    return model
