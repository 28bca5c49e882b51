"""Segmentation and detection train under DDP (two CPU processes, gloo) with no code
change: the epoch's scores gathered from both processes (torchmetrics syncs its state),
one run directory, one record, and no warning about unsynchronised logs."""

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
