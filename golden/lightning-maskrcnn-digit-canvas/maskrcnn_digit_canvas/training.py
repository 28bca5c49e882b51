"""One training run from start to end: data, model, fit, test on the best checkpoint, records."""

import shutil
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import pytorch_lightning as pl
from lightning_fabric.utilities.exceptions import MisconfigurationException
from omegaconf import OmegaConf

from .checkpoint import read_checkpoint
from .config.batches import check_batches
from .config.named_files import check_named_files
from .data.instance_data import InstanceData
from .errors import UserError
from .evaluation import test_best
from .instance_segmenter import InstanceSegmenter
from .models import check_model
from .models.starting_weights import start_weights
from .quiet import quiet_lightning
from .records.environment import hardware, trainable_parameters, versions
from .records.record import begin_record, exit_interrupted, stopped_by
from .records.run_dir import open_run_dir, resumed_run, write_json
from .records.summary import announce, report, scalars
from .reporting.report import write_report
from .scaling.out_of_memory import explained
from .scaling.run import scale_run
from .trainer import build_trainer, check_accelerator
from .tracking.loggers import finish_loggers


def train(cfg, more_callbacks: Sequence = ()) -> tuple[Path, dict]:
    """Train and test as `cfg` says; return the run directory and the final metrics.

    more_callbacks: more Lightning callbacks for this run (tune.py's pruning).
    """
    # the epoch a checkpoint holds counts from 0
    check_named_files(cfg, lambda path: read_checkpoint(path)["epoch"] + 1)
    quiet_lightning()
    check_accelerator(cfg.trainer.accelerator)
    check_model(cfg.model, cfg.data.channels, cfg.data.image_size)  # before any data
    pl.seed_everything(cfg.seed, workers=True, verbose=False)
    data = InstanceData(cfg.data, cfg.seed)
    data.prepare_data()  # download before the run directory exists: a failure leaves none
    data.setup("fit")
    config = OmegaConf.to_container(cfg, resolve=True)
    model = InstanceSegmenter(config, data.describe())
    start_weights(model.net, cfg.model)  # model.pretrained, then model.freeze
    scale = scale_run(cfg, model, data)  # batch, accumulation, lr, nodes: scaling/
    check_batches(cfg, {name: len(split) for name, split in data.splits.items()})
    new_run = resumed_run(cfg.ckpt_path) is None
    run_dir = open_run_dir(cfg)
    try:
        trainer = build_trainer(cfg, run_dir, more_callbacks)
    except Exception as error:
        if new_run:
            shutil.rmtree(run_dir)  # nothing ran: leave nothing behind
        if not isinstance(error, MisconfigurationException):
            raise
        message = " ".join(str(error).split())  # Lightning's text spans lines
        raise UserError(f"trainer settings refused by Lightning: {message}") from None
    parameters = trainable_parameters(model)
    record = begin_record(
        run_dir,
        cfg.seed,
        data=data.summary(),
        model={"name": cfg.model.name, "parameters": parameters},
        versions=versions(),
        hardware=hardware(trainer),
        **scale,  # scaling: launcher, batch, rate; speed: each setting and why
        stage=dict(cfg.stage) if cfg.stage else None,  # which stage of a series
    )
    main_process = trainer.is_global_zero  # DDP workers train but keep no records
    if main_process:
        write_json(run_dir / "record.json", record)
        announce(run_dir, record)
    metrics, stopped = {}, 0
    try:
        trainer.fit(model, datamodule=data, ckpt_path=cfg.ckpt_path)
        metrics = scalars(trainer.callback_metrics)
        metrics.update(test_best(trainer, model, data, cfg))
        record["status"] = "finished"
    except BaseException as error:
        stopped = stopped_by(
            error, record, trainer.current_epoch + 1, trainer.global_step
        )
        if not stopped:
            # the error itself, or for an out-of-memory one line saying what to lower
            raise explained(error, cfg, trainer.global_step)  # noqa: B904
    finally:
        record["finished"] = datetime.now().isoformat(timespec="seconds")
        record["best_checkpoint"] = trainer.checkpoint_callback.best_model_path
        record["batches_per_epoch"] = trainer.num_training_batches
        if main_process:
            write_json(run_dir / "metrics.json", metrics)
            write_json(run_dir / "record.json", record)
        finish_loggers(trainer.loggers, record["status"])
    if stopped and not main_process:
        raise SystemExit(stopped)  # rank 0 says how to resume
    if stopped:
        exit_interrupted(record, run_dir / "checkpoints" / "last.ckpt")
    if main_process and cfg.report:
        write_report(run_dir)  # report.html: curves, test answers, config
    if main_process:
        report(f"run: {run_dir}", metrics)
    return run_dir, metrics
