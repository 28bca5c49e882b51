"""Keys that say where and how a run runs, not what it learns: its paths, loader
workers, trackers, debugger and speed switches. Runs that differ only in these repeat
one experiment (runs.py seeds groups them), a resumed run may change them (but for
its trackers' sections: config/resume.py), and the workers of one search may differ
in them (tuning/)."""

import re

SOURCE = re.compile(r"\.sources\.\d+\.")  # data.sources.<i>. of data=mix
# A name stands for itself and every key under it (mlflow: mlflow.experiment, ...).
WHERE_AND_HOW = (
    *("ckpt_path", "output_dir", "report", "env", "loggers", "mlflow", "wandb"),
    *("debug", "data.root", "data.mirrors", "data.download_timeout"),
    *("data.num_workers", "data.in_memory", "data.decode", "trainer.accelerator"),
    "trainer.profile",
    *("trainer.enable_progress_bar", "trainer.log_every_n_steps", "trainer.compile"),
    *("speed.channels_last", "speed.cudnn_benchmark", "speed.tf32"),
    "speed.fused_optimizer",
)


def flat(tree: dict, prefix: str = "") -> dict:
    """{"a": {"b": 1}, "c": [{"d": 2}]} as {"a.b": 1, "c.0.d": 2}: a list of mappings
    (data=mix's data.sources) by index, any other list as one value."""
    out = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            out.update(flat(value, f"{name}."))
        elif isinstance(value, list) and value and all(type(v) is dict for v in value):
            for index, item in enumerate(value):
                out.update(flat(item, f"{name}.{index}."))
        else:
            out[name] = value
    return out


def under(key: str, names) -> bool:
    """`key` is one of `names` or a key under one (mlflow.experiment under mlflow); a
    mix's source counts as data (data.sources.0.root is a data.root)."""
    key = SOURCE.sub(".", key)
    return any(key == name or key.startswith(f"{name}.") for name in names)


def experiment_keys(config: dict, also=()) -> dict:
    """The config's flat keys that make its experiment: all but WHERE_AND_HOW's (and
    those under `also`)."""
    return {
        key: value
        for key, value in flat(config).items()
        if not under(key, (*WHERE_AND_HOW, *also))
    }
