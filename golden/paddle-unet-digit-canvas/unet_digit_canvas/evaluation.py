"""Test metrics of a checkpoint, with the same data pipeline as training."""

import os
from contextlib import contextmanager
from pathlib import Path

from .callbacks.metrics import EpochMetrics
from .checkpoint import load_segmenter
from .data.segmentation_data import SegmentationData
from .test_answers import keep_answers
from .trainer import select_device


def evaluate(cfg) -> dict:
    """eval.py: the test metrics of cfg.ckpt_path."""
    data = SegmentationData(cfg.data)
    data.prepare_data()
    data.setup("test")
    return test_checkpoint(cfg, cfg.ckpt_path, data)


def test_checkpoint(
    cfg, path: str, data: SegmentationData, run_dir: Path | None = None
) -> dict:
    """The test metrics of the checkpoint at `path`; with `run_dir` (after training),
    its answers are kept there for the run's report (cfg.report)."""
    select_device(cfg.trainer.accelerator)
    with one_process():
        model = load_segmenter(path)
    loader = data.loader("test", False, cfg.trainer.limit_test_batches)
    model.evaluate(loader, verbose=0, callbacks=[EpochMetrics("test")])
    if run_dir is not None and cfg.report:
        keep_answers(model, loader, run_dir)
    return model.epoch_metrics


@contextmanager
def one_process():
    """Rank 0 tests alone, after training: a paddle.Model made while the launcher's
    PADDLE_TRAINERS_NUM says several processes wraps its network in DataParallel, whose
    first broadcast would wait for ranks that have finished (a gloo or NCCL timeout)."""
    launched = os.environ.pop("PADDLE_TRAINERS_NUM", None)
    try:
        yield
    finally:
        if launched is not None:
            os.environ["PADDLE_TRAINERS_NUM"] = launched
