"""The spec's JSON Schema, with the catalog's names as enums so editors can complete them."""

from typing import Any

from .catalog import CATALOG
from .schemas.spec import Spec


def spec_json_schema() -> dict[str, Any]:
    schema = Spec.model_json_schema()
    fields = schema["properties"]
    for field, names in (("model", CATALOG.models), ("data", CATALOG.datasets)):
        fields[field]["type"] = ["string", "null"]  # null: the task's default
        fields[field]["enum"] = [*names, None]
    fields["features"]["items"]["enum"] = list(CATALOG.features)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "onefit spec"
    return schema
