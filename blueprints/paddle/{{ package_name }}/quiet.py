"""Keep paddle's chatter out of the log; the run prints its own summary lines."""

import warnings

NOISE = [
    r"To copy construct from a tensor",  # paddle.Model re-wraps our batches: harmless
]


def quiet_paddle() -> None:
    for message in NOISE:
        warnings.filterwarnings("ignore", message=message)
