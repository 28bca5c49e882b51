"""The spec: defaults, catalog rules across fields, features, names, and the JSON Schema."""

import pytest
import yaml
from onefit.answers import answers_for
from onefit.catalog import CATALOG
from onefit.json_schema import spec_json_schema
from onefit.schemas import names
from onefit.schemas.catalog import Catalog, FeatureEntry
from onefit.schemas.names import importable, shadow_problem
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
    assert answers["batch_size"] == 32  # mnist's recipe (BENCHMARKS.md, "Real MNIST")


@pytest.mark.parametrize(
    "task, epochs",
    [("detection", 30), ("segmentation", 15), ("instance_segmentation", 15)],
)
def test_a_dataset_may_train_one_task_longer(task, epochs):
    """digit_canvas trains a detector 30 epochs, the other tasks 15 (the catalog's
    task_epochs); a spec's own epochs still win."""
    assert answers_for(validate_spec({"task": task}, CATALOG))["epochs"] == epochs
    given = {"task": task, "train": {"epochs": 4}}
    assert answers_for(validate_spec(given, CATALOG))["epochs"] == 4


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
            {"model": "lenet", "features": ["tune"]},
            "features",
            "unknown feature 'tune'",
        ),
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


def test_a_feature_needs_the_features_it_builds_on_and_order_is_the_catalogs():
    with pytest.raises(
        ValidationError, match="'serve' needs 'export': add --with export"
    ):
        validate_spec({"model": "lenet", "features": ["serve"]}, CATALOG)
    spec = validate_spec(
        {"model": "lenet", "features": ["ci", "serve", "export"]}, CATALOG
    )
    assert answers_for(spec)["features"] == ["export", "serve", "ci"]
    masks = {"task": "instance_segmentation", "features": ["export", "serve"]}
    assert validate_spec(masks, CATALOG).features == ["export", "serve"]


def test_features_are_checked_against_the_catalog_and_backend():
    demo = FeatureEntry(
        name="demo",
        description="a feature",
        backends=("lightning",),
        tasks=("classification", "detection"),
    )
    catalog = Catalog(
        models=CATALOG.models,
        datasets=CATALOG.datasets,
        features={"demo": demo},
        defaults=CATALOG.defaults,
    )
    spec = validate_spec({"model": "lenet", "features": ["demo"]}, catalog)
    assert answers_for(spec)["features"] == ["demo"]
    with pytest.raises(ValidationError, match="not available on the paddle"):
        validate_spec(
            {"backend": "paddle", "model": "x", "features": ["demo"]}, catalog
        )
    with pytest.raises(ValidationError, match="listed twice"):
        validate_spec({"model": "lenet", "features": ["demo", "demo"]}, catalog)
    masks = {"task": "segmentation", "features": ["demo"]}
    with pytest.raises(
        ValidationError, match=r"'demo' is for classification, detection, not segm"
    ):
        validate_spec(masks, catalog)


def test_a_model_is_checked_against_its_backends():
    """Every catalog model runs on both backends today: a Lightning-only one is made up."""
    assert validate_spec({"model": "efficientnet_b0", "backend": "paddle"}, CATALOG)
    only = CATALOG.models["resnet18"].model_copy(
        update={"name": "only", "backends": ("lightning",)}
    )
    catalog = Catalog(
        models={**CATALOG.models, "only": only},
        datasets=CATALOG.datasets,
        features={},
        defaults=CATALOG.defaults,
    )
    assert validate_spec({"model": "only"}, catalog).model == "only"
    with pytest.raises(ValidationError) as caught:
        validate_spec({"model": "only", "backend": "paddle"}, catalog)
    (problem,) = caught.value.errors()
    assert problem["loc"] == ("model",)
    assert "'only' is not available on the paddle backend (only on lightning)" in (
        problem["msg"]
    )


def test_unknown_fields_are_refused():
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        validate_spec({"model": "lenet", "epochs": 3}, CATALOG)


def test_json_schema_lists_catalog_names_for_editors():
    schema = spec_json_schema()
    assert schema["properties"]["model"]["enum"] == [*CATALOG.models, None]
    assert "cifar10" in schema["properties"]["data"]["enum"]
    assert "required" not in schema  # every field has a default, the task's for model
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


def test_a_shadowing_name_comes_with_one_that_does_not():
    problem = shadow_problem("packaging", CATALOG.reserved)
    assert problem == (
        "would shadow the Python module packaging; pick another, e.g. packaging-project"
    )
    validate_spec({"model": "lenet", "name": "packaging-project"}, CATALOG)
    assert shadow_problem("lenet-digits", CATALOG.reserved) is None


def test_no_suggestion_rather_than_a_bad_one(monkeypatch):
    long = "a" * 61  # with -project or my- it would pass the 63 characters
    monkeypatch.setattr(names, "TAKEN", {long})
    assert shadow_problem(long, ()).endswith("; pick another")


def test_the_default_name_must_not_shadow_a_module_either():
    """<model>-<data> is checked like a given name: py + compile is py_compile."""
    compile_ = CATALOG.datasets["digits"].model_copy(update={"name": "compile"})
    py = CATALOG.models["lenet"].model_copy(update={"name": "py"})
    catalog = Catalog(models={"py": py}, datasets={"compile": compile_}, features={})
    with pytest.raises(ValidationError) as caught:
        validate_spec({"model": "py", "data": "compile"}, catalog)
    (problem,) = caught.value.errors()
    assert problem["msg"] == (
        "Value error, name: the default name 'py-compile' would shadow the Python "
        "module py_compile; pick another, e.g. py-compile-project (--name, or name:)"
    )
    validate_spec({"model": "py", "data": "compile", "name": "pyc"}, catalog)


def test_importable_means_where_gen_runs_not_the_current_folder(tmp_path, monkeypatch):
    """The environment is gen's import path as it started: a folder a test (or a
    generated project) adds later is not in it, nor the current folder, which
    `python -m onefit` puts on sys.path and where the project is about to go."""
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert not importable("mine")
    monkeypatch.setattr(names, "STARTUP_PATH", (str(tmp_path), *names.STARTUP_PATH))
    assert importable("mine")
    monkeypatch.chdir(tmp_path)
    assert not importable("mine")
    assert importable("google") and importable("onefit")  # namespace, editable


@pytest.mark.parametrize(
    "train, field, kind",
    [
        ({"epochs": True}, "epochs", "int_type"),
        ({"batch_size": 2.0}, "batch_size", "int_type"),
        ({"seed": "3"}, "seed", "int_type"),
        ({"epochs": 100_001}, "epochs", "less_than_equal"),
        ({"seed": -1}, "seed", "greater_than_equal"),
        ({"devices": -1}, "devices", "devices"),
        ({"devices": 0}, "devices", "devices"),
        ({"devices": True}, "devices", "devices"),
    ],
)
def test_training_numbers_are_strict_whole_numbers_in_range(train, field, kind):
    with pytest.raises(ValidationError) as caught:
        validate_spec({"model": "lenet", "train": train}, CATALOG)
    (problem,) = caught.value.errors()
    assert (problem["loc"], problem["type"]) == (("train", field), kind)


def test_json_schema_carries_the_ranges():
    training = spec_json_schema()["$defs"]["Training"]["properties"]
    assert training["seed"]["maximum"] == 2**32 - 1
    assert training["devices"]["anyOf"][1] == {
        "maximum": 1024,
        "minimum": 1,
        "type": "integer",
    }
