"""Test metrics of a checkpoint, on one device, with the same data pipeline as training."""

from collections.abc import Sequence
from pathlib import Path

import pytorch_lightning as pl
import torch

from .checkpoint import load_trained
from .data.detection_data import DetectionData
from .quiet import quiet_lightning
from .records.summary import scalars
from .test_answers import TestAnswers
from .trainer import check_accelerator, resolve_precision


def evaluate(cfg) -> dict:
    """eval.py: the test metrics of cfg.ckpt_path."""
    quiet_lightning()
    data = DetectionData(cfg.data, cfg.seed)
    data.prepare_data()
    data.setup("test")
    return test_checkpoint(cfg, cfg.ckpt_path, data)


def test_best(trainer: pl.Trainer, model, data, cfg) -> dict:
    """After fit: the best checkpoint's test metrics. With several devices rank 0 tests
    alone on one, as DistributedSampler would pad the test set with repeated images.
    The answers are kept in the run directory for its report (cfg.report)."""
    answers = [TestAnswers(Path(trainer.default_root_dir))] if cfg.report else []
    if trainer.world_size == 1:
        best = trainer.checkpoint_callback.best_model_path  # best.ckpt, not last.ckpt
        # None: the weights as trained, when training stopped (trainer.max_steps) before
        # any validation chose a best checkpoint.
        trainer.callbacks.extend(answers)
        trainer.test(model, datamodule=data, ckpt_path=best or None, verbose=False)
        return scalars(trainer.callback_metrics)
    # Every process leaves the process group: rank 0's metrics would wait for the
    # others, and the next stage of a series begins a group of its own.
    torch.distributed.destroy_process_group()
    if not trainer.is_global_zero:
        return {}
    best = trainer.checkpoint_callback.best_model_path
    return test_checkpoint(cfg, best, data, answers)


def test_checkpoint(
    cfg,
    path: str,
    data: DetectionData,
    callbacks: Sequence = (),
) -> dict:
    check_accelerator(cfg.trainer.accelerator)
    trainer = pl.Trainer(
        accelerator=cfg.trainer.accelerator,
        devices=1,
        precision=resolve_precision(cfg.trainer.precision, cfg.trainer.accelerator),
        limit_test_batches=cfg.trainer.limit_test_batches,
        logger=False,
        callbacks=list(callbacks),
        enable_checkpointing=False,
        enable_progress_bar=False,
        enable_model_summary=False,
    )
    trainer.test(load_trained(path), datamodule=data, verbose=False)
    return scalars(trainer.callback_metrics)
