"""The spec: defaults, catalog rules across fields, features, names, and the JSON Schema."""

import pytest
from pydantic import ValidationError

from generator.answers import answers_for
from generator.catalog import CATALOG
from generator.json_schema import spec_json_schema
from schemas.catalog import Catalog, FeatureEntry
from schemas.spec import validate_spec


def test_a_model_alone_is_a_whole_spec():
    spec = validate_spec({"model": "resnet18"}, CATALOG)
    answers = answers_for(spec)
    assert answers["project_name"] == "resnet18-digits"
    assert answers["package_name"] == "resnet18_digits"
    assert (answers["backend"], answers["data"]) == ("lightning", "digits")
    assert (answers["optimizer"], answers["scheduler"]) == (
        "sgd",
        "cosine",
    )  # its recipe
    assert (answers["epochs"], answers["batch_size"]) == (20, 32)  # digits' defaults


def test_given_training_values_win_over_recipes():
    raw = {
        "model": "lenet",
        "data": "mnist",
        "train": {"epochs": 5, "optimizer": "sgd"},
    }
    answers = answers_for(validate_spec(raw, CATALOG))
    assert (answers["epochs"], answers["optimizer"], answers["scheduler"]) == (
        5,
        "sgd",
        "onecycle",
    )
    assert answers["batch_size"] == 128


@pytest.mark.parametrize(
    "raw, field, message",
    [
        (
            {"model": "resnt18"},
            "model",
            "unknown model 'resnt18'. Did you mean resnet18",
        ),
        (
            {"model": "lenet", "data": "cifar"},
            "data",
            "Did you mean cifar10 or cifar100",
        ),
        (
            {"model": "efficientnet_b0", "backend": "paddle"},
            "model",
            "not available on the paddle",
        ),
        ({"model": "lenet", "features": ["hpo"]}, "features", "unknown feature 'hpo'"),
        ({"model": "lenet", "name": "My Project"}, "name", "should match pattern"),
        ({"model": "lenet", "name": "torch"}, "name", "would shadow the Python module"),
        ({"model": "lenet", "name": "json"}, "name", "would shadow the Python module"),
        (
            {"model": "lenet", "train": {"epochs": 0}},
            "train.epochs",
            "greater than or equal",
        ),
        ({"model": "lenet", "train": {"precision": "fp16"}}, "train.precision", "auto"),
    ],
)
def test_mistakes_name_the_field_and_the_fix(raw, field, message):
    with pytest.raises(ValidationError) as caught:
        validate_spec(raw, CATALOG)
    (problem,) = caught.value.errors()
    assert ".".join(map(str, problem["loc"])) == field
    assert message in problem["msg"]


def test_features_are_checked_against_the_catalog_and_backend():
    demo = FeatureEntry(name="demo", description="a feature", backends=("lightning",))
    catalog = Catalog(
        models=CATALOG.models, datasets=CATALOG.datasets, features={"demo": demo}
    )
    spec = validate_spec({"model": "lenet", "features": ["demo"]}, catalog)
    assert answers_for(spec)["features"] == ["demo"]
    with pytest.raises(ValidationError, match="not available on the paddle"):
        validate_spec(
            {"backend": "paddle", "model": "x", "features": ["demo"]}, catalog
        )
    with pytest.raises(ValidationError, match="listed twice"):
        validate_spec({"model": "lenet", "features": ["demo", "demo"]}, catalog)


def test_unknown_fields_are_refused():
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        validate_spec({"model": "lenet", "epochs": 3}, CATALOG)


def test_json_schema_lists_catalog_names_for_editors():
    schema = spec_json_schema()
    assert schema["properties"]["model"]["enum"] == list(CATALOG.models)
    assert "cifar10" in schema["properties"]["data"]["enum"]
    assert schema["required"] == ["model"]
    assert "train" in schema["properties"] and schema["additionalProperties"] is False
