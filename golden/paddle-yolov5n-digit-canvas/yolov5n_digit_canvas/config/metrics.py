"""What a run is judged by (checkpoint.monitor, hpo.metric), and which way is better:
a loss is best at its lowest, an accuracy, mIoU or mAP at its highest."""

from ..errors import UserError

MONITORED = {
    "val/map": "max",
    "val/map50": "max",
    "val/map75": "max",
    "val/loss": "min",
    "train/loss": "min",
}


KEYS = {"checkpoint": ("monitor", "mode"), "hpo": ("metric", "direction")}


def check_metric(section: str, metric: str, given: str) -> None:
    """Refuse a metric the run does not log, and a way (checkpoint.mode max|min,
    hpo.direction maximize|minimize) that would keep the worst epoch, or search for
    the worst values, of it. section: checkpoint or hpo (KEYS)."""
    metric_key, key = (f"{section}.{name}" for name in KEYS[section])
    # A trial is judged as each validation ends, before the epoch's train/loss is known.
    allowed = [name for name in MONITORED if section != "hpo" or name[:4] == "val/"]
    if metric not in allowed:
        raise UserError(
            f"{metric_key}={metric} is not allowed: must be one of {', '.join(allowed)}"
        )
    better = MONITORED[metric]  # max or min
    if given[:3] != better:
        fix = better if len(given) == 3 else f"{better}imize"
        way = "higher" if better == "max" else "lower"
        raise UserError(
            f"{key}={given} with {metric}: {metric} is better {way}; set {key}={fix}"
        )
