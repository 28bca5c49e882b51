"""Segmentation and detection train under DDP (two CPU processes, gloo) with no code
change: the epoch's scores gathered from both processes (torchmetrics syncs its state),
one run directory, one record, and no warning about unsynchronised logs; and YOLO's loss
and box decoding under mixed precision (bf16 autocast, the CPU's)."""

import json

import pytest
import torch

from tests.conftest import run

GOLDENS = {
    "lightning-unet-digit-canvas": "test/miou",
    "lightning-yolov5n-digit-canvas": "test/map50",
}
DDP = ["trainer=debug", "trainer.enable_progress_bar=false", "trainer.accelerator=cpu"]


@pytest.mark.parametrize("golden", sorted(GOLDENS))
def test_two_processes_train_and_score_as_one_run(golden_copy, golden):
    project = golden_copy(golden)
    result = run(["train.py", *DDP, "trainer.devices=2"], project)
    assert result.returncode == 0, result.stderr
    (run_dir,) = (project / "runs").iterdir()
    record = json.loads((run_dir / "record.json").read_text())
    assert record["hardware"]["devices"] == 2 and record["status"] == "finished"
    metrics = json.loads((run_dir / "metrics.json").read_text())
    assert 0 <= metrics[GOLDENS[golden]] <= 1
    assert "sync_dist" not in result.stderr, result.stderr


def test_detection_trains_under_bf16_autocast(golden_copy):
    project = golden_copy("lightning-yolov5n-digit-canvas")
    result = run(["train.py", *DDP, "trainer.precision=bf16-mixed"], project)
    assert result.returncode == 0, result.stderr
    (run_dir,) = (project / "runs").iterdir()
    record = json.loads((run_dir / "record.json").read_text())
    assert record["hardware"]["precision"] == "bf16-mixed"
    metrics = json.loads((run_dir / "metrics.json").read_text())
    assert metrics["train/loss"] == metrics["train/loss"]  # finite: not nan


@pytest.mark.parametrize("golden", sorted(GOLDENS))
def test_a_resumed_run_goes_on_from_its_next_epoch(golden_copy, golden):
    project = golden_copy(golden)
    short = ["trainer.enable_progress_bar=false", "trainer.limit_train_batches=3"]
    short += ["trainer.limit_val_batches=2", "trainer.limit_test_batches=2"]
    # step decay: a schedule that a longer run extends (one-cycle is planned whole)
    first = run(["train.py", *short, "scheduler=step", "trainer.max_epochs=1"], project)
    assert first.returncode == 0, first.stderr
    (run_dir,) = (project / "runs").iterdir()
    last = run_dir / "checkpoints" / "last.ckpt"
    resumed = run(["train.py", f"ckpt_path={last}", "trainer.max_epochs=2"], project)
    assert resumed.returncode == 0, resumed.stderr
    assert [p.name for p in (project / "runs").iterdir()] == [run_dir.name]
    assert "epoch 2/2" in resumed.stdout and "epoch 1/2" not in resumed.stdout
    record = json.loads((run_dir / "record.json").read_text())
    assert record["status"] == "finished" and len(record["resumed"]) == 1
    assert GOLDENS[golden] in json.loads((run_dir / "metrics.json").read_text())


def test_under_ddp_each_process_trains_on_its_share(golden_copy, tmp_path):
    """16 training images, batches of 4, two processes: 2 steps an epoch, not 4."""
    from tests.test_coco import small_split, write_split

    for split, count, first in (("train", 16, 1), ("val", 4, 100), ("test", 4, 200)):
        write_split(tmp_path / "coco", split, small_split(count, first_id=first))
    project = golden_copy("lightning-yolov5n-digit-canvas")
    data = ["data=coco", f"data.root={tmp_path / 'coco'}", "data.image_size=32"]
    args = [*DDP[1:], "trainer.devices=2", "trainer.max_epochs=1", "data.batch_size=4"]
    result = run(["train.py", *data, *args], project)
    assert result.returncode == 0, result.stderr
    (last,) = (project / "runs").glob("*/checkpoints/last.ckpt")
    assert torch.load(last, weights_only=True)["global_step"] == 2
