"""Score a checkpoint on the test split with the same data pipeline as training."""

import pytorch_lightning as pl

from .checkpoint import load_classifier
from .data.module import ImageClassificationData
from .summary import scalars
from .trainer import resolve_precision


def evaluate(cfg) -> dict:
    model = load_classifier(cfg.ckpt_path)
    data = ImageClassificationData(cfg.data)
    data.prepare_data()
    data.setup("test")
    trainer = pl.Trainer(
        accelerator=cfg.trainer.accelerator,
        devices=1,
        precision=resolve_precision(cfg.trainer.precision, cfg.trainer.accelerator),
        limit_test_batches=cfg.trainer.limit_test_batches,
        logger=False,
        enable_checkpointing=False,
        enable_progress_bar=False,
    )
    trainer.test(model, datamodule=data, verbose=False)
    return scalars(trainer.callback_metrics)
