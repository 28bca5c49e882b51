"""The Paddle twin's lean training step (lean_step.py) against paddle.Model's own: the
same losses, metrics and weights, batch by batch, with gradient accumulation, and every
task's paddle.Model built with it. In-process and tiny: about a second."""

from pathlib import Path

import numpy as np
import pytest

paddle = pytest.importorskip("paddle")

GOLDEN = Path(__file__).parent.parent / "golden"
BATCHES = 5  # with accumulate 2: updates after batches 2, 4 and 5 (the last)


def batches():
    rng = np.random.default_rng(0)
    return [
        (
            paddle.to_tensor(rng.standard_normal((8, 1, 8, 8)).astype("float32")),
            paddle.to_tensor(rng.integers(0, 3, (8, 1)).astype("int64")),
        )
        for _ in range(BATCHES)
    ]


class Seen(paddle.callbacks.Callback):
    def __init__(self) -> None:
        super().__init__()
        self.logs = []

    def on_train_batch_end(self, step, logs=None) -> None:
        self.logs.append((float(logs["loss"][0]), float(logs["acc"])))


def adamw(parameters):
    return paddle.optimizer.AdamW(0.01, parameters=parameters)


def sgd_clipped(parameters):  # the twin's sgd: Momentum, weight decay, clipping
    clip = paddle.nn.ClipGradByGlobalNorm(0.5)
    return paddle.optimizer.Momentum(
        0.05, 0.9, parameters=parameters, weight_decay=1e-4, grad_clip=clip
    )


def trained(optimizer_of, make_lean=None):
    """A small network fitted on BATCHES batches, accumulating 2: what it logged and
    its weights."""
    paddle.seed(0)
    network = paddle.nn.Sequential(
        paddle.nn.Conv2D(1, 4, 3, padding=1),
        paddle.nn.BatchNorm2D(4),
        paddle.nn.ReLU(),
        paddle.nn.Flatten(),
        paddle.nn.Linear(4 * 8 * 8, 3),
    )
    model = paddle.Model(network)
    if make_lean:
        make_lean(model)
        assert model._adapter.train_batch.__func__.__module__.endswith("lean_step")
    optimizer = optimizer_of(network.parameters())
    model.prepare(optimizer, paddle.nn.CrossEntropyLoss(), paddle.metric.Accuracy())
    seen = Seen()
    before = {k: v.numpy() for k, v in network.state_dict().items()}
    model.fit(
        batches(), epochs=1, verbose=0, callbacks=[seen], accumulate_grad_batches=2
    )
    weights = {k: v.numpy() for k, v in network.state_dict().items()}
    assert any(not np.array_equal(before[k], v) for k, v in weights.items())
    return seen.logs, weights


@pytest.mark.parametrize("optimizer_of", [adamw, sgd_clipped])
def test_the_lean_step_logs_and_updates_as_paddles_own(golden_package, optimizer_of):
    lean_step = golden_package("paddle-lenet-digits", "lean_step")
    stock_logs, stock_weights = trained(optimizer_of)
    lean_logs, lean_weights = trained(optimizer_of, lean_step.lean)
    assert len(lean_logs) == BATCHES
    np.testing.assert_allclose(lean_logs, stock_logs, rtol=1e-6)
    assert lean_weights.keys() == stock_weights.keys()
    for name, value in stock_weights.items():  # the updates, counters included
        np.testing.assert_allclose(lean_weights[name], value, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize(
    "name",
    ["paddle-lenet-digits", "paddle-unet-digit-canvas", "paddle-yolov5n-digit-canvas"],
)
def test_every_task_builds_its_model_with_the_lean_step(name):
    package = name.split("-", 1)[1].replace("-", "_")
    builder = {"lenet": "classifier", "unet": "segmenter", "yolov5n": "detector"}
    module = builder[name.split("-")[1]]
    source = (GOLDEN / name / package / f"{module}.py").read_text()  # = rendered
    assert "model = lean(paddle.Model(" in source
