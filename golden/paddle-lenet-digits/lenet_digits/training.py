"""One training run from start to end: data, model, fit, test on the best checkpoint, records."""

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import paddle
from omegaconf import OmegaConf

from .callbacks.seeds import seed_everything
from .checkpoint import load_weights, read_checkpoint
from .classifier import build_classifier, prepare
from .config.batches import check_batches
from .config.named_files import check_named_files
from .data.arrays import describe
from .data.checks import check_splits
from .data.module import ImageClassificationData
from .evaluation import test_checkpoint
from .launch import relaunch_on_devices
from .models import check_model
from .models.starting_weights import start_weights
from .optim import build_optimization
from .records.environment import hardware, trainable_parameters, versions
from .records.record import begin_record, exit_interrupted, stopped_by
from .records.run_dir import open_run_dir, write_json
from .records.summary import announce, report
from .reporting.report import write_report
from .scaling.out_of_memory import explained
from .scaling.run import scale_run
from .trainer import amp_configs, build_callbacks, device_and_precision


def train(cfg, more_callbacks: Sequence = ()) -> tuple[Path, dict]:
    """Train and test as `cfg` says; return the run directory and the final metrics.

    more_callbacks: more paddle.callbacks for this run (tune.py's pruning), called
    after the epoch's metrics are known and logged.
    """
    resumed = read_checkpoint(cfg.ckpt_path) if cfg.ckpt_path else {}
    check_named_files(cfg, lambda path: resumed["epoch"])
    precision = device_and_precision(cfg.trainer)
    check_model(cfg.model)  # before any data is read or downloaded
    data = ImageClassificationData(cfg.data)
    data.prepare_data()  # download before the run directory exists: a failure leaves none
    relaunch_on_devices(cfg)  # several GPUs: train.py again under paddle's launcher
    seed_everything(cfg.seed)
    data.setup("fit")
    model = build_classifier(OmegaConf.to_container(cfg, resolve=True), describe(data))
    trainable = start_weights(model.network.network, cfg.model)  # pretrained, freeze
    scale = scale_run(cfg, model, data, precision)  # batch, accumulation, lr: scaling/
    checks = check_splits(data.splits, data.class_names, cfg.data.batch_size)
    check_batches(cfg, {name: len(split) for name, split in data.splits.items()})
    train_loader = data.loader("train", True, cfg.trainer.limit_train_batches)
    val_loader = data.loader("val", False, cfg.trainer.limit_val_batches)
    optimizer, epochs = build_optimization(cfg, trainable, len(train_loader))
    prepare(model, optimizer, amp_configs(precision))
    if resumed:
        load_weights(model, cfg.ckpt_path)
    run_dir = open_run_dir(cfg)
    callbacks, logs, watch = build_callbacks(cfg, run_dir, resumed, more_callbacks)
    main_process = paddle.distributed.get_rank() == 0
    parameters = trainable_parameters(model.network)
    record = begin_record(
        run_dir,
        cfg.seed,
        data=data.summary() | {"checks": checks},
        model={"name": cfg.model.name, "parameters": parameters},
        versions=versions(),
        hardware=hardware(precision),
        **scale,  # scaling: launcher, batch, rate; speed: each setting and why
        stage=dict(cfg.stage) if cfg.stage else None,  # which stage of a series
    )
    if main_process:
        write_json(run_dir / "record.json", record)
        announce(run_dir, record)
    metrics, stopped = {}, 0
    try:
        model.fit(
            train_loader,
            val_loader,
            epochs=epochs - resumed.get("epoch", 0),
            verbose=0,
            callbacks=callbacks,
            accumulate_grad_batches=cfg.trainer.accumulate_grad_batches,
            num_iters=cfg.trainer.max_steps if cfg.trainer.max_steps > 0 else None,
        )
        metrics = dict(getattr(model, "epoch_metrics", {}))
        if main_process:
            metrics.update(test_checkpoint(cfg, watch.best_path, data, run_dir))
            logs.log({k: v for k, v in metrics.items() if k.startswith("test/")})
        record["status"] = "finished"
    except BaseException as error:
        stopped = stopped_by(error, record, watch.epoch, logs.step)
        if not stopped:
            # the error itself, or for an out-of-memory one line saying what to lower
            raise explained(error, cfg, logs.step)  # noqa: B904
    finally:
        logs.close(record["status"])
        record["finished"] = datetime.now().isoformat(timespec="seconds")
        record["best_checkpoint"] = watch.best_path
        record["batches_per_epoch"] = len(train_loader)
        if main_process:
            write_json(run_dir / "metrics.json", metrics)
            write_json(run_dir / "record.json", record)
    if stopped:
        exit_interrupted(record, run_dir / "checkpoints" / "last.pdparams")
    if main_process and cfg.report:
        write_report(run_dir)  # report.html: curves, test answers, config
    if main_process:
        report(f"run: {run_dir}", metrics)
    return run_dir, metrics
