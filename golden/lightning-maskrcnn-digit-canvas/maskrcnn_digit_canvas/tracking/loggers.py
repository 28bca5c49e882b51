"""The run's Lightning loggers, as `loggers` in the config names them, and the config's
values given to each when the fit starts."""

from pathlib import Path

from omegaconf import OmegaConf
from pytorch_lightning.callbacks import Callback
from pytorch_lightning.loggers import CSVLogger, Logger, TensorBoardLogger
from pytorch_lightning.utilities import rank_zero_only

from .hparams import HParamsSession, flat_params


def build_loggers(cfg, run_dir: Path) -> list[Logger]:
    loggers = []
    if "tensorboard" in cfg.loggers:
        loggers.append(BoardLogger(run_dir, name="tensorboard", version=""))
    if "csv" in cfg.loggers:
        loggers.append(CSVLogger(run_dir, name="", version=""))
    return loggers


class BoardLogger(TensorBoardLogger):
    """TensorBoard, with the run's row of the HParams tab (tracking/hparams.py): its
    config when the fit starts, its status when the run ends. No hp_metric: the tab's
    metrics are the run's own scalars (val/acc, test/acc, ...)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, default_hp_metric=False, **kwargs)
        self.session = None

    @rank_zero_only
    def log_hyperparams(self, params, metrics=None, step=None) -> None:
        super().log_hyperparams(params)  # hparams.yaml
        if self.session is None:  # one row per run
            self.session = HParamsSession(Path(self.log_dir), params)

    def finish(self, status: str) -> None:
        if self.session:
            self.session.finish(status)


class ConfigParams(Callback):
    """The resolved config's values, flat (optimizer.lr), to every logger when the fit
    starts: after the Trainer accepted its settings, so a refused run starts no
    tracker's run."""

    def __init__(self, cfg) -> None:
        self.params = flat_params(OmegaConf.to_container(cfg, resolve=True))

    def on_fit_start(self, trainer, pl_module) -> None:
        for logger in trainer.loggers:
            logger.log_hyperparams(self.params)


def finish_loggers(loggers: list[Logger], status: str) -> None:
    """End each tracker's run with the run's status (finished, interrupted, failed: ...),
    so that the next run in this process (tune.py's trials) starts its own."""
    for logger in loggers:
        if hasattr(logger, "finish"):  # this project's trackers; the others end alone
            logger.finish(status)
