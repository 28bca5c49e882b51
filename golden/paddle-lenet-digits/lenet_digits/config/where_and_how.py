"""Keys that say where and how a run runs, not what it learns: its paths, loader
workers, trackers, debugger and speed switches. Runs that differ only in these repeat
one experiment (runs.py seeds groups them), a resumed run may change them
(config/resume.py), and the workers of one search may differ in them (tuning/)."""

# A name stands for itself and every key under it (mlflow: mlflow.experiment, ...).
WHERE_AND_HOW = (
    *("ckpt_path", "output_dir", "report", "env", "loggers", "mlflow", "wandb"),
    *("debug", "data.root", "data.mirrors", "data.download_timeout"),
    *("data.num_workers", "data.in_memory", "trainer.accelerator", "trainer.profile"),
    *("trainer.enable_progress_bar", "trainer.log_every_n_steps", "trainer.compile"),
    *("speed.channels_last", "speed.cudnn_benchmark", "speed.tf32"),
    "speed.fused_optimizer",
)


def flat(tree: dict, prefix: str = "") -> dict:
    """{"a": {"b": 1}} as {"a.b": 1}."""
    out = {}
    for key, value in tree.items():
        if isinstance(value, dict) and value:
            out.update(flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def under(key: str, names) -> bool:
    """`key` is one of `names` or a key under one (mlflow.experiment under mlflow)."""
    return any(key == name or key.startswith(f"{name}.") for name in names)


def experiment_keys(config: dict, also=()) -> dict:
    """The config's flat keys that make its experiment: all but WHERE_AND_HOW's (and
    those under `also`)."""
    return {
        key: value
        for key, value in flat(config).items()
        if not under(key, (*WHERE_AND_HOW, *also))
    }
