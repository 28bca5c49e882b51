"""One training run from start to end: data, model, fit, test on the best checkpoint, records."""

import logging
import shutil
import warnings
from datetime import datetime
from pathlib import Path

import pytorch_lightning as pl
from lightning_fabric.utilities.exceptions import MisconfigurationException
from omegaconf import OmegaConf

from .classifier import Classifier
from .data.arrays import describe
from .data.module import ImageClassificationData
from .errors import UserError
from .evaluation import test_best
from .models.pretrained import load_pretrained
from .records.environment import hardware, trainable_parameters, versions
from .records.run_dir import command_line, create_run_dir, write_json
from .records.summary import announce, report, scalars
from .trainer import build_trainer, check_accelerator

# Warnings that say nothing actionable for this project's runs.
NOISE = [
    r".*exists and is not empty",  # the CSV log shares the run directory on purpose
    r".*smaller than the logging interval",  # train/loss is logged per epoch
    r".*isinstance\(treespec, LeafSpec\)",  # inside Lightning, fixed upstream
    r"Grad strides do not match bucket view",  # DDP, for 1-channel convs: harmless
    r".*does not have many workers",  # batches are slices of memory: workers only add cost
]


def train(cfg) -> tuple[Path, dict]:
    """Train and test as `cfg` says; return the run directory and the final metrics."""
    if cfg.ckpt_path and not Path(cfg.ckpt_path).is_file():
        raise UserError(f"ckpt_path={cfg.ckpt_path}: no such file")
    quiet_lightning()
    check_accelerator(cfg.trainer.accelerator)
    pl.seed_everything(cfg.seed, workers=True, verbose=False)
    data = ImageClassificationData(cfg.data)
    data.prepare_data()  # download before the run directory exists: a failure leaves none
    data.setup("fit")
    model = Classifier(OmegaConf.to_container(cfg, resolve=True), describe(data))
    if cfg.model.pretrained:
        load_pretrained(model.net, cfg.model.name, cfg.model.pretrained)
    run_dir = create_run_dir(cfg)
    try:
        trainer = build_trainer(cfg, run_dir)
    except (UserError, MisconfigurationException) as error:
        shutil.rmtree(run_dir)  # nothing ran: leave nothing behind
        if isinstance(error, UserError):
            raise
        message = " ".join(str(error).split())  # Lightning's text spans lines
        raise UserError(f"trainer settings refused by Lightning: {message}") from None
    record = {
        "command": command_line(),
        "started": datetime.now().isoformat(timespec="seconds"),
        "seed": cfg.seed,
        "data": data.summary(),
        "model": {"name": cfg.model.name, "parameters": trainable_parameters(model)},
        "versions": versions(),
        "hardware": hardware(trainer),
        "status": "running",
    }
    main_process = trainer.is_global_zero  # DDP workers train but keep no records
    if main_process:
        write_json(run_dir / "record.json", record)
        announce(run_dir, record)
    metrics = {}
    try:
        trainer.fit(model, datamodule=data, ckpt_path=cfg.ckpt_path)
        metrics = scalars(trainer.callback_metrics)
        if not trainer.interrupted:
            metrics.update(test_best(trainer, model, data, cfg))
        record["status"] = "interrupted" if trainer.interrupted else "finished"
    except BaseException as error:
        record["status"] = f"failed: {type(error).__name__}: {error}"
        raise
    finally:
        record["finished"] = datetime.now().isoformat(timespec="seconds")
        record["best_checkpoint"] = trainer.checkpoint_callback.best_model_path
        record["batches_per_epoch"] = trainer.num_training_batches
        if main_process:
            write_json(run_dir / "metrics.json", metrics)
            write_json(run_dir / "record.json", record)
    if main_process:
        report(f"run: {run_dir}", metrics)
    return run_dir, metrics


def quiet_lightning() -> None:
    """Keep Lightning's start-up chatter out of the log: the run prints its own."""
    for logger in (
        "pytorch_lightning.utilities.rank_zero",
        "lightning_fabric.utilities.rank_zero",
        "pytorch_lightning.accelerators.cuda",  # LOCAL_RANK: 0 - CUDA_VISIBLE_DEVICES: [0]
    ):
        logging.getLogger(logger).setLevel(logging.WARNING)
    for message in NOISE:
        warnings.filterwarnings("ignore", message=message)
