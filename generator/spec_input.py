"""Read a spec from a YAML file and/or flags, validate it, and explain what is wrong."""

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .catalog import CATALOG
from .errors import GenError
from .schemas.rules import close_names
from .schemas.spec import NAME_RULE, Spec, validate_spec


def read_spec_file(path: Path) -> dict[str, Any]:
    try:
        raw = yaml.safe_load(path.read_text())
    except FileNotFoundError:
        raise GenError(f"{path}: no such spec file") from None
    except yaml.YAMLError as error:
        raise GenError(f"{path} is not valid YAML: {error}") from None
    if not isinstance(raw, dict):
        raise GenError(f"{path} must hold a mapping of spec fields (see: gen schema)")
    return raw


def load_spec(path: Path | None, flags: dict[str, Any]) -> Spec:
    """The spec from `path` (if any) with the given flags on top, validated."""
    raw = read_spec_file(path) if path else {}
    raw.update({k: v for k, v in flags.items() if v not in (None, [])})
    where = f"{path}: " if path else ""
    try:
        return validate_spec(raw, CATALOG)
    except ValidationError as error:
        raise GenError(where + explain(error)) from None


def explain(error: ValidationError) -> str:
    """Pydantic's errors as `field: message` lines, without its boilerplate."""
    lines = []
    for problem in error.errors():
        field = ".".join(str(part) for part in problem["loc"]) or "spec"
        message = problem["msg"].removeprefix("Value error, ")
        if problem["type"] == "extra_forbidden":
            message = f"unknown field{closest_field(problem['loc'])} (see: gen schema)"
        elif problem["type"] == "missing" and field == "model":
            message = "missing: add --model NAME (see: gen list models)"
        elif problem["type"] == "string_pattern_mismatch" and field == "name":
            message = f"use {NAME_RULE}"
        lines.append(f"{field}: {message}")
    return "\n  ".join(lines)


def closest_field(loc: tuple) -> str:
    """'; did you mean epochs?' for a misspelt field at `loc`, else ''."""
    model = Spec if len(loc) == 1 else Spec.model_fields[loc[0]].annotation
    close = close_names(str(loc[-1]), getattr(model, "model_fields", {}))
    return f"; did you mean {close[0]}?" if close else ""
