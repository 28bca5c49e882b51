"""A search config: configs/hpo/NAME.yaml (with its `extends:`), then tune.py's
`hpo.key=value` arguments, checked against the search's schema and rules."""

from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from ..config.compose import merge, parse_override
from ..config.files import read_option
from ..config.hpo_schema import TuneConfig
from ..errors import UserError

RULES = {
    "hpo.n_trials": (lambda v: v >= 1, "must be at least 1"),
    "hpo.timeout_s": (lambda v: v is None or v > 0, "must be above 0, or null"),
    "hpo.heartbeat_s": (lambda v: v >= 1, "must be at least 1 (seconds)"),
    "hpo.sampler.startup_trials": (lambda v: v >= 0, "must be 0 or more"),
    "hpo.pruner.startup_trials": (lambda v: v >= 0, "must be 0 or more"),
    "hpo.pruner.warmup_epochs": (lambda v: v >= 0, "must be 0 or more"),
}


def read_hpo(name: str, overrides: list[str]) -> DictConfig:
    """configs/hpo/<name>.yaml (with its `extends:`), then the `hpo.key=value` arguments."""
    where = f"configs/hpo/{name}.yaml"
    node = {"hpo": read_option("hpo", name)}
    tune = merge(OmegaConf.structured(TuneConfig), node, f"in {where}")
    for line in overrides:
        if line.startswith("hpo.space."):
            raise UserError(
                f"{line}: the space is set in {where}; edit it, or copy the file to"
                " configs/hpo/<new>.yaml and run hpo=<new>"
            )
        tune = merge(tune, parse_override(line), f"in the argument '{line}'")
    try:
        OmegaConf.to_container(tune, resolve=True, throw_on_missing=True)
    except OmegaConfBaseException as error:  # a key no file set
        key = getattr(error, "full_key", "") or "a key"
        raise UserError(
            f"'{key}' has no value: set {key}=... or add it to {where}"
        ) from None
    for key, (rule, meaning) in RULES.items():
        value = OmegaConf.select(tune, key)
        if not rule(value):
            raise UserError(f"{key}={value} is not allowed: {meaning}")
    return tune.hpo
