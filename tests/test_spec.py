"""The spec: defaults, catalog rules across fields, features, names, and the JSON Schema."""

import pytest
import yaml
from onefit.answers import answers_for
from onefit.catalog import CATALOG
from onefit.json_schema import spec_json_schema
from onefit.schemas.catalog import Catalog, FeatureEntry
from onefit.schemas.spec import validate_spec
from pydantic import ValidationError

from tests.goldens import ROOT


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
        ({"model": "lenet", "name": "train"}, "name", "shadow the Python module train"),
        (
            {"model": "lenet", "name": "pytorch-lightning"},
            "name",
            "module pytorch_lightning",
        ),
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


def test_answers_are_exactly_the_questions_copier_asks():
    """answers_for is copier's only data: a question it does not answer, or an answer
    copier does not ask for, fails here (computed `when: false` ones are copier's own).
    """
    questions = yaml.safe_load((ROOT / "blueprints" / "copier.yml").read_text())
    asked = {
        key
        for key, question in questions.items()
        if not key.startswith("_")
        and not (isinstance(question, dict) and question.get("when") is False)
    }
    answers = answers_for(validate_spec({"model": "lenet"}, CATALOG))
    assert set(answers) == asked


def test_the_emitted_tree_s_own_modules_are_reserved():
    """Read from the blueprints, so a new top-level script is reserved with no edit."""
    assert {"train", "configs", "tests"} <= CATALOG.reserved
    assert not any("{" in name for name in CATALOG.reserved)
