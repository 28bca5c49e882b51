"""Test metrics of a checkpoint, with the same data pipeline as training."""

from .callbacks.metrics import EpochMetrics
from .checkpoint import load_segmenter
from .data.segmentation_data import SegmentationData
from .trainer import select_device


def evaluate(cfg) -> dict:
    """eval.py: the test metrics of cfg.ckpt_path."""
    data = SegmentationData(cfg.data)
    data.prepare_data()
    data.setup("test")
    return test_checkpoint(cfg, cfg.ckpt_path, data)


def test_checkpoint(cfg, path: str, data: SegmentationData) -> dict:
    select_device(cfg.trainer.accelerator)
    model = load_segmenter(path)
    loader = data.loader("test", False, cfg.trainer.limit_test_batches)
    model.evaluate(loader, verbose=0, callbacks=[EpochMetrics("test")])
    return model.epoch_metrics
