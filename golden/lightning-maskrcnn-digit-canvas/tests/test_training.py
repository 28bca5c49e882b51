"""A step changes the weights, a small batch is learned by heart, a run writes its records.

These use digit_canvas, written from the digits that ship with scikit-learn: no network.
"""

import json
import subprocess
import sys
from pathlib import Path

import torch
from omegaconf import OmegaConf

from maskrcnn_digit_canvas.instance_segmenter import InstanceSegmenter
from maskrcnn_digit_canvas.config.compose import compose
from maskrcnn_digit_canvas.data.instance_data import InstanceData

ROOT = Path(__file__).resolve().parent.parent


def model_and_batch(n_images: int):
    cfg = compose(["data=digit_canvas"])
    data = InstanceData(cfg.data, cfg.seed)
    data.prepare_data()
    data.setup()
    images, labels = data.splits["train"].__getitems__(list(range(n_images)))
    images, labels = data.on_after_batch_transfer((images, labels), 0)
    config = OmegaConf.to_container(cfg, resolve=True)
    model = InstanceSegmenter(config, data.describe())
    return model, images, labels


def test_one_training_step_changes_every_trainable_tensor():
    torch.manual_seed(0)
    model, images, labels = model_and_batch(2)
    before = [p.detach().clone() for p in model.parameters()]
    loss = model.adapter.train_loss(images, labels)
    loss.backward()
    torch.optim.SGD(model.parameters(), lr=0.1).step()
    assert torch.isfinite(loss)
    after = list(model.parameters())
    assert all(not torch.equal(a, b) for a, b in zip(before, after, strict=True))


def test_a_small_batch_is_learned():
    """Optimisation works end to end: 2 canvases, 8 steps at a rate
    gentle enough for Mask R-CNN from scratch, the loss down to a third.

    Measured in training mode: after so few steps, BatchNorm's running statistics
    (momentum 0.01 in MobileNet) do not yet describe the batch.
    """
    torch.manual_seed(0)
    model, images, labels = model_and_batch(2)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
    losses = []
    for _ in range(8):
        optimizer.zero_grad()
        loss = model.adapter.train_loss(images, labels)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < losses[0] / 3


def test_train_py_writes_a_complete_run(tmp_path):
    args = ["data=digit_canvas", "trainer=debug", f"output_dir={tmp_path}"]
    args.append("data.batch_size=2")  # Mask R-CNN is slow on a CPU
    result = subprocess.run(
        [sys.executable, "train.py", *args], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    (run,) = tmp_path.iterdir()
    assert str(run) in result.stdout
    metrics = json.loads((run / "metrics.json").read_text())
    scores = {"val/map", "val/map50", "test/map", "test/map75"}
    assert {"train/loss", "val/loss", "test/loss"} | scores <= set(metrics)
    config = OmegaConf.load(run / "config.yaml")
    assert config.model.name == "maskrcnn_resnet50_fpn"
    assert config.data.name == "digit_canvas"
    record = json.loads((run / "record.json").read_text())
    assert record["status"] == "finished" and record["seed"] == config.seed
    for name in ("best.ckpt", "last.ckpt"):
        torch.load(run / "checkpoints" / name, weights_only=True)
