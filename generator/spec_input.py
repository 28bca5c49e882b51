"""Read a spec from a YAML file and/or flags, validate it, and explain what is wrong.

A spec is a handful of fields, so the file is held to that: at most MAX_BYTES of UTF-8
text, one YAML mapping, no key twice (PyYAML would keep the last one without a word), no
aliases (`*name` repeats a value by reference: a 1 KB file can expand into billions of
values for the validation to walk).
"""

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .catalog import CATALOG
from .errors import GenError
from .schemas.names import NAME_RULE
from .schemas.rules import close_names
from .schemas.spec import Spec, validate_spec

MAX_BYTES = 100_000  # 100 times a long spec; PyYAML reads it in well under a second
MAX_SHOWN = 5  # problems listed on the one line; the rest are counted
SHOWN = 40  # characters of a wrong value quoted in a message
MERGE = "tag:yaml.org,2002:merge"  # `<<:`, YAML's merge key: not a key of its own


def read_spec_file(path: Path) -> dict[str, Any]:
    text = read_text(path)
    try:
        raw = yaml.load(text, Loader=SpecLoader)  # safe: SpecLoader is a SafeLoader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = f" at line {mark.line + 1}" if mark else ""
        why = error.problem or error.context
        raise GenError(f"{path} is not valid YAML{line}: {why}") from None
    except yaml.reader.ReaderError as error:
        raise GenError(
            f"{path} holds a character YAML does not allow (#x{error.character:04x} "
            f"at offset {error.position}); remove it"
        ) from None
    except RecursionError:
        raise GenError(f"{path} nests values too deeply to be a spec") from None
    if raw is None:
        raise GenError(
            f"{path} is empty; a spec names at least one field, e.g. model: resnet18"
        )
    if not isinstance(raw, dict):
        raise GenError(f"{path} must hold a mapping of spec fields (see: gen schema)")
    return raw


def read_text(path: Path) -> str:
    """The file's text, refused before parsing if it cannot be a spec."""
    try:
        if not path.exists():
            raise GenError(f"{path}: no such spec file")
        if path.is_dir():
            raise GenError(f"{path} is a folder; give the spec file inside it")
        if not path.is_file():
            raise GenError(f"{path} is not a regular file; give a spec YAML file")
        with path.open("rb") as file:
            data = file.read(MAX_BYTES + 1)
    except OSError as error:
        raise GenError(f"cannot read {path}: {error.strerror}") from None
    if len(data) > MAX_BYTES:
        raise GenError(
            f"{path} is over {MAX_BYTES // 1000} KB; a spec is a few lines of YAML "
            "(see: gen schema)"
        )
    if b"\0" in data:
        raise GenError(f"{path} is a binary file, not a YAML spec")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise GenError(
            f"{path} is not UTF-8 text (byte {data[error.start]:#04x} at offset "
            f"{error.start}); save it as UTF-8"
        ) from None


class SpecLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing duplicate keys and aliases."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.MarkedYAMLError(
                problem="aliases (*name) are not allowed in a spec; "
                "write the value out",
                problem_mark=mark,
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != MERGE:
                key = self.construct_object(key_node)
                if key in seen:
                    raise yaml.MarkedYAMLError(
                        problem=f"the key {cut(repr(key))} appears twice; keep one",
                        problem_mark=key_node.start_mark,
                    )
                seen.add(key)
        return super().construct_mapping(node, deep)


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
    """Pydantic's errors as `field: message` on one line, without its boilerplate."""
    found = []
    problems = error.errors()
    for problem in problems[:MAX_SHOWN]:
        loc, kind = problem["loc"], problem["type"]
        field = cut(".".join(str(part) for part in loc))
        message = problem["msg"].removeprefix("Value error, ")
        if kind == "extra_forbidden":
            message = f"unknown field{closest_field(loc)} (see: gen schema)"
        elif kind == "string_pattern_mismatch" and field == "name":
            message = f"use {NAME_RULE}, not {shown(problem['input'])}"
        elif kind == "invalid_key":
            message = "a key must be a field name (see: gen schema)"
        elif kind in ("model_type", "dict_type"):
            message = (
                f"must hold fields (see: gen schema), not {shown(problem['input'])}"
            )
        elif kind not in ("missing", "value_error"):
            message = f"{message}, not {shown(problem['input'])}"
        found.append(f"{field}: {message}" if field else message)
    more = len(problems) - MAX_SHOWN
    return "; ".join(found) + (f"; and {more} more" if more > 0 else "")


def shown(value: Any) -> str:
    """A wrong value as the user wrote it in YAML, cut short."""
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    return cut(repr(value))


def cut(text: str) -> str:
    return text if len(text) <= SHOWN else text[: SHOWN - 3] + "..."


def closest_field(loc: tuple) -> str:
    """'; did you mean epochs?' for a misspelt field at `loc`, else ''."""
    model = Spec if len(loc) == 1 else Spec.model_fields[loc[0]].annotation
    close = close_names(str(loc[-1]), getattr(model, "model_fields", {}))
    return f"; did you mean {close[0]}?" if close else ""
