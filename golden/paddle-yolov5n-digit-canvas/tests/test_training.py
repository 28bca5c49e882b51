"""A step changes the weights, a small batch is learned, a run writes its records.

These use digit_canvas, written from the digits that ship with scikit-learn: no network.
"""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import paddle
from omegaconf import OmegaConf

from yolov5n_digit_canvas.config.compose import compose
from yolov5n_digit_canvas.data.detection_data import DetectionData
from yolov5n_digit_canvas.detector import build_detector, prepare

ROOT = Path(__file__).resolve().parent.parent


def canvas_detector(n_images: int):
    """The detector, and `n_images` canvases with the table of their boxes as labels."""
    cfg = compose(["data=digit_canvas"])
    data = DetectionData(cfg.data)
    data.prepare_data()
    data.setup()
    images, labels = data.splits["train"][list(range(n_images))]
    model = build_detector(OmegaConf.to_container(cfg, resolve=True), data.describe())
    optimizer = paddle.optimizer.AdamW(3e-3, parameters=model.parameters())
    prepare(model, optimizer)
    return model, images, labels


def test_one_training_step_changes_every_trainable_tensor():
    paddle.seed(0)
    model, images, labels = canvas_detector(16)
    trainable = [p for p in model.parameters() if not p.stop_gradient]
    before = [p.numpy().copy() for p in trainable]
    (loss,) = model.train_batch([images], [labels])[0]
    assert np.isfinite(loss).all()
    after = [p.numpy() for p in trainable]
    assert all(not np.array_equal(a, b) for a, b in zip(before, after, strict=True))


def test_a_small_batch_is_learned():
    """Optimisation works end to end: 8 canvases, 60 steps, the loss down to a quarter."""
    paddle.seed(0)
    model, images, labels = canvas_detector(8)
    losses = [model.train_batch([images], [labels])[0][0] for _ in range(60)]
    assert losses[-1] < losses[0] / 4


def test_train_py_writes_a_complete_run(tmp_path):
    args = ["data=digit_canvas", "trainer=debug", f"output_dir={tmp_path}"]
    result = subprocess.run(
        [sys.executable, "train.py", *args], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    (run,) = tmp_path.iterdir()
    assert str(run) in result.stdout
    metrics = json.loads((run / "metrics.json").read_text())
    expected = {"train/loss", "val/loss", "val/map", "val/map50", "test/loss"}
    expected |= {"test/map", "test/map75", "test/ap/0"}
    assert expected <= set(metrics)
    config = OmegaConf.load(run / "config.yaml")
    assert config.model.name == "yolov5n" and config.data.name == "digit_canvas"
    record = json.loads((run / "record.json").read_text())
    assert record["status"] == "finished" and record["seed"] == config.seed
    for name in ("best", "last"):
        paddle.load(str(run / "checkpoints" / f"{name}.pdparams"))
