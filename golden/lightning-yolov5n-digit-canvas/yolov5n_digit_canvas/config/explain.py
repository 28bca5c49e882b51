"""OmegaConf's errors as one sentence: the key in full, where its value came from, and
the closest valid names or what the value may be (config/rules.py)."""

import difflib

from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import ConfigKeyError, MissingMandatoryValue

from ..errors import UserError, did_you_mean
from .rules import RULES


def explain(
    error: Exception, cfg: DictConfig, where: str, group: str = ""
) -> UserError:
    """`cfg`: what was merged into; `group`: the group it is an option of, or ""."""
    key = getattr(error, "full_key", "")
    first = str(error).splitlines()[0]
    if not key:  # OmegaConf could not tell which key: the source says enough
        return UserError(f"bad value {where}: {first}")
    named = f"{group}.{key}" if group else key
    if isinstance(error, MissingMandatoryValue):
        return UserError(
            f"'{named}' has no value: set {named}=..., or add it to configs/ (an option"
            " file takes the keys it lacks from another with extends: <option>)"
        )
    if isinstance(error, (ConfigKeyError, AttributeError)):
        parent, _, leaf = key.rpartition(".")
        node = OmegaConf.select(cfg, parent) if parent else cfg
        names = list(node) if node else []
        prefix = named.removesuffix(leaf)
        hint = did_you_mean(leaf, names, prefix)
        if not named.count("."):  # `lr=0.1`: perhaps a nested key by its last name
            hint = nested_hint(leaf, cfg, exact=True) or hint or nested_hint(leaf, cfg)
        valid = ", ".join(prefix + name for name in names)
        return UserError(f"unknown key '{named}' {where}.{hint} Valid keys: {valid}")
    if first.startswith("Incompatible value 'None'"):  # `key=` alone: empty
        before = OmegaConf.select(cfg, key, default="...")
        return UserError(
            f"{named} cannot be empty {where}: give it a value, e.g. {named}={before}"
        )
    if "is not a ListConfig" in first:  # `data.mirrors=http://host/`: brackets left out
        return UserError(
            f"{named} is a list: {named}=[{getattr(error, 'value', '...')}]"
        )
    rule = RULES.get(named)
    allowed = f"; {named} {rule[1]}" if rule else ""
    return UserError(f"bad value for '{named}' {where}: {first}{allowed}")


def nested_hint(leaf: str, cfg: DictConfig, exact: bool = False) -> str:
    """' Did you mean optimizer.lr?' for `lr`: the keys one level down whose name is
    `leaf` (exact) or close to it; users often type a key's last name alone."""
    tree = OmegaConf.to_container(cfg, resolve=False)
    by_name: dict[str, list[str]] = {}
    for top, node in tree.items():
        for name in node if isinstance(node, dict) else ():
            by_name.setdefault(name, []).append(f"{top}.{name}")
    if exact:
        names = [leaf] if leaf in by_name else []
    else:
        names = difflib.get_close_matches(leaf, list(by_name), n=2, cutoff=0.7)
    keys = [key for name in names for key in by_name[name]][:3]
    return f" Did you mean {' or '.join(keys)}?" if keys else ""
