"""serve.py's settings: configs/serve.yaml, then `export=DIR` and `serve.key=value`
arguments, checked before the model or the server loads.

Its value rules live here rather than in config/rules.py: serve.py reads no training
config, so that a serving image needs neither the datasets' code nor torch or paddle.
"""

from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import ConfigKeyError, OmegaConfBaseException

from ..config.files import CONFIG_DIR, read_yaml
from ..config.serve_schema import ServeFile
from ..errors import UserError, did_you_mean

RULES = {
    "serve.port": (lambda v: 1 <= v <= 65535, "must be a TCP port, 1 to 65535"),
    "serve.max_batch": (lambda v: v >= 1, "must be at least 1"),
    "serve.max_wait_ms": (lambda v: 0 <= v <= 1000, "must be 0 to 1000 (ms)"),
    "serve.threads": (lambda v: v >= 0, "must be 0 (one per core) or more"),
    "serve.max_files": (lambda v: v >= 1, "must be at least 1"),
    "serve.max_request_mb": (lambda v: 0 < v <= 1024, "must be above 0, up to 1024"),
    "serve.max_pixels": (lambda v: v >= 1, "must be at least 1"),
}


def read_settings(argv: list[str], usage: str) -> DictConfig:
    """The checked settings for serve.py's arguments (after answering --help)."""
    if "-h" in argv or "--help" in argv:
        print(usage.strip())
        raise SystemExit(0)
    settings = OmegaConf.structured(ServeFile)
    settings = merge(
        settings, read_yaml(CONFIG_DIR / "serve.yaml"), "configs/serve.yaml"
    )
    for arg in argv:
        key, sep, value = arg.partition("=")
        if not sep or not key:
            raise UserError(f"expected key=value, got '{arg}': e.g. serve.port=8080")
        if key == "export" and not value.strip():  # `export=$DIR`, DIR unset: not
            raise UserError(  # the newest export in its place
                "export is empty (an unset shell variable?): name an export folder, or"
                " export=null for the newest under runs/"
            )
        try:
            override = OmegaConf.from_dotlist([arg])
        except OmegaConfBaseException as error:
            raise UserError(
                f"cannot read '{arg}': {str(error).splitlines()[0]}"
            ) from None
        settings = merge(settings, override, f"the argument '{arg}'")
    try:
        OmegaConf.to_container(settings, resolve=True, throw_on_missing=True)
    except OmegaConfBaseException as error:
        key = getattr(error, "full_key", "") or "a key"
        raise UserError(
            f"'{key}' has no value: set {key}=... or add it to configs/serve.yaml"
        ) from None
    for key, (rule, meaning) in RULES.items():
        value = OmegaConf.select(settings, key)
        if not rule(value):
            raise UserError(f"{key}={value} is not allowed: {meaning}")
    return settings


def merge(settings: DictConfig, other: DictConfig, where: str) -> DictConfig:
    """OmegaConf.merge, an unknown key or a wrong type said in one line."""
    try:
        return OmegaConf.merge(settings, other)
    except ConfigKeyError as error:
        key = error.full_key
        known = ["export", *(f"serve.{name}" for name in settings.serve)]
        hint = did_you_mean(key, known)
        raise UserError(
            f"unknown key '{key}' in {where}.{hint} Valid keys: {', '.join(known)}"
        ) from None
    except (OmegaConfBaseException, TypeError) as error:
        key = getattr(error, "full_key", "") or "a value"
        first = str(error).splitlines()[0]
        raise UserError(f"bad value for '{key}' in {where}: {first}") from None
