"""Test metrics of a checkpoint, with the same data pipeline as training."""

from .callbacks.metrics import EpochMetrics
from .checkpoint import load_detector
from .data.detection_data import DetectionData
from .trainer import select_device


def evaluate(cfg) -> dict:
    """eval.py: the test metrics of cfg.ckpt_path."""
    data = DetectionData(cfg.data)
    data.prepare_data()
    data.setup("test")
    return test_checkpoint(cfg, cfg.ckpt_path, data)


def test_checkpoint(cfg, path: str, data: DetectionData) -> dict:
    select_device(cfg.trainer.accelerator)
    model = load_detector(path)
    loader = data.loader("test", False, cfg.trainer.limit_test_batches)
    model.evaluate(loader, verbose=0, callbacks=[EpochMetrics("test")])
    return model.epoch_metrics
