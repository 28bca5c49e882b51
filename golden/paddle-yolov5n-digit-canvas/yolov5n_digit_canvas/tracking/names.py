"""The loggers this project can run (`loggers` in the config), and a refusal in one line
for any other: a tracker this project was generated without says how to add it."""

from ..errors import UserError, did_you_mean

LOGGERS = ("tensorboard", "csv")
TRACKERS = ("wandb", "mlflow")  # in projects generated --with them


def check_loggers(loggers) -> None:
    for logger in loggers:
        if logger in TRACKERS and logger not in LOGGERS:
            raise UserError(
                f"loggers: {logger} is not in this project (generated without --with"
                f" {logger}): generate it again with --with {logger}, or pip install"
                f" {logger} and copy tracking/{logger}_logger.py and the {logger}:"
                " section of configs/config.yaml from a project generated with it"
            )
        if logger not in LOGGERS:
            hint = did_you_mean(logger, LOGGERS)
            raise UserError(
                f"unknown logger '{logger}' in loggers.{hint} Known: {', '.join(LOGGERS)}"
            )
