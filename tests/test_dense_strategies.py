"""Segmentation and detection train under DDP (two CPU processes, gloo) with no code
change: the epoch's scores gathered from both processes (torchmetrics syncs its state),
one run directory, one record, and no warning about unsynchronised logs; and YOLO's loss
and box decoding under mixed precision (bf16 autocast, the CPU's)."""

import json

import pytest

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
