"""Keep Lightning's start-up chatter out of the log: each command prints its own lines."""

import logging
import warnings

# Warnings that say nothing actionable for this project's runs.
NOISE = [
    r".*exists and is not empty",  # the CSV log shares the run directory on purpose
    r".*smaller than the logging interval",  # train/loss is logged per epoch
    r".*isinstance\(treespec, LeafSpec\)",  # inside Lightning, fixed upstream
    r"Grad strides do not match bucket view",  # DDP, for 1-channel convs: harmless
    r".*does not have many workers",  # batches are slices of memory: workers only add cost
]


def quiet_lightning() -> None:
    """Keep Lightning's start-up chatter out of the log: the run prints its own."""
    for logger in (
        "pytorch_lightning.utilities.rank_zero",
        "lightning_fabric.utilities.rank_zero",
        "pytorch_lightning.accelerators.cuda",  # LOCAL_RANK: 0 - CUDA_VISIBLE_DEVICES: [0]
        "pytorch_lightning.trainer.connectors.signal_connector",  # the run says it
        "lightning_fabric.utilities.distributed",  # Initializing distributed: GLOBAL_RANK
    ):
        logging.getLogger(logger).setLevel(logging.WARNING)
    for message in NOISE:
        warnings.filterwarnings("ignore", message=message)
