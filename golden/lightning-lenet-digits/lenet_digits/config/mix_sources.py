"""data.sources of a mix, checked and completed: each source becomes the whole data
config it would have alone (configs/data/<name>.yaml), with the mix's loading keys and
its own keys on top, so the run's config.yaml records exactly what each source read.
"""

from numbers import Real

from omegaconf import DictConfig, ListConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from ..data.registry import DATASETS
from ..data.source_keys import INHERITED, SHARED
from ..errors import UserError, did_you_mean
from .files import read_option
from .options import OPTIONS
from .rules import RULES

EXAMPLE = "[{name: mnist, weight: 0.7}, {name: digits, weight: 0.3}]"


def complete_sources(cfg: DictConfig) -> None:
    """Replace cfg.data.sources by complete source configs, or raise a UserError."""
    sources = cfg.data.sources
    if cfg.data.url:
        raise UserError(
            f"data.url={cfg.data.url}: a mix reads archives through its sources; give"
            " it to one: data.sources=[{name: imagefolder, url: ..., weight: 1}, ...]"
        )
    if not isinstance(sources, ListConfig) or not sources:
        shown = (
            OmegaConf.to_container(sources) if OmegaConf.is_config(sources) else sources
        )
        raise UserError(f"data.sources must be a list like {EXAMPLE}, not {shown}")
    cfg.data.sources = [source_config(i, s, cfg.data) for i, s in enumerate(sources)]


def forget_shared(saved: DictConfig) -> None:
    """A saved mix (a checkpoint, --config) of a project older than the refusal of
    the mix's keys in a source recorded them in each source: dropped, so that the run
    loads and an override (data.batch_size=...) applies to the whole mix."""
    for source in OmegaConf.select(saved, "data.sources", default=None) or ():
        for key in SHARED if isinstance(source, DictConfig) else ():
            source.pop(key, None)


def source_config(index: int, source, mix: DictConfig) -> dict:
    key = f"data.sources[{index}]"
    if not isinstance(source, DictConfig) or "name" not in source:
        raise UserError(f"{key} needs a name and a weight, like {EXAMPLE}")
    name = source.name
    known = [n for n in DATASETS if n != "mix"]
    if name not in known:
        hint = did_you_mean(str(name), known)
        raise UserError(
            f"{key}.name={name} is not a dataset to mix.{hint} Known:"
            f" {', '.join(known)}"
        )
    weight = source.get("weight")
    if isinstance(weight, bool) or not isinstance(weight, Real) or not weight > 0:
        raise UserError(
            f"{key}.weight={weight} is not allowed: must be a number above 0"
        )
    schema = OPTIONS["data"][name]
    own = {k: v for k, v in source.items() if k != "weight"}
    shared = [k for k in SHARED if k in own and own[k] != mix[k]]
    if shared:  # one batch stream, one augmentation: a source's would be ignored
        leaf = shared[0]
        raise UserError(
            f"{key}.{leaf}={own[leaf]}: batches and augmentation are the mix's, not a"
            f" source's; set data.{leaf}=... for the whole mix and leave it out here"
        )
    loading = {k: mix[k] for k in INHERITED if k in schema.__dataclass_fields__}
    base = {k: mix[k] for k in SHARED} | {"url": None, "sha256": None}
    if "in_memory" in schema.__dataclass_fields__:  # a mix joins its sources' arrays
        if own.get("in_memory", True) is not True:
            raise UserError(
                f"{key}.in_memory={own['in_memory']}: a mix holds its sources in"
                " memory; leave it out, or train on that folder alone to stream it"
            )
        loading["in_memory"] = True
        if own.get("decode", "cpu") != "cpu":
            raise UserError(
                f"{key}.decode={own['decode']}: a mix decodes its sources into memory"
                " on the CPU; leave it out, or train on that folder alone"
            )
    try:
        node = OmegaConf.merge(
            OmegaConf.structured(schema), base, read_option("data", name), loading, own
        )
        full = OmegaConf.to_container(node, resolve=True, throw_on_missing=True)
    except OmegaConfBaseException as error:
        leaf = getattr(error, "full_key", "") or str(error).splitlines()[0]
        valid = ", ".join(schema.__dataclass_fields__)
        raise UserError(
            f"{key}: bad key or value '{leaf}' for a {name} source;"
            f" its keys: weight, {valid}"
        ) from None
    for rule_key, (rule, meaning) in RULES.items():  # the value rules of data.*
        leaf = rule_key.removeprefix("data.")
        value = full.get(leaf) if rule_key.startswith("data.") else None
        if value is not None and not rule(value):
            raise UserError(f"{key}.{leaf}={value} is not allowed: {meaning}")
    # the mix's batch and augmentation keys are not the source's to record
    return {"weight": float(weight)} | {
        k: v for k, v in full.items() if k not in SHARED
    }
