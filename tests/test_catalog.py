"""The catalog tells the truth about the blueprints and the models they build."""

import json
import os
import subprocess
import sys
import tomllib
from importlib.metadata import version
from typing import get_args

import pytest
import yaml
from onefit.catalog import CATALOG
from onefit.schemas.catalog import BACKENDS, Optimizer, Scheduler

from tests.goldens import FULL, ROOT, answers_of

BLUEPRINTS = ROOT / "blueprints"


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_catalog_entry_has_a_config_and_every_config_an_entry(backend):
    configs = BLUEPRINTS / backend / "configs"
    models = {m for m, e in CATALOG.models.items() if backend in e.backends}
    datasets = {d for d, e in CATALOG.datasets.items() if backend in e.backends}

    def names(group: str) -> set[str]:  # a .yaml.jinja differs by task (coco's augment)
        files = [
            *(configs / group).glob("*.yaml"),
            *(configs / group).glob("*.yaml.jinja"),
        ]
        return {p.name.split(".")[0] for p in files}

    assert names("model") == models
    assert names("data") == datasets
    for group, names in {"optimizer": Optimizer, "scheduler": Scheduler}.items():
        assert {p.stem for p in (configs / group).glob("*.yaml")} == set(
            get_args(names)
        )


def of_task(entries: dict, task: str) -> dict:
    return {name: entry for name, entry in entries.items() if task in entry.tasks}


@pytest.mark.parametrize("name", sorted(FULL.values()))
def test_a_project_holds_the_configs_of_its_backend_and_task_only(name):
    """blueprints/copier.yml's lists of each task's files agree with the catalog."""
    answers = answers_of(name)
    backend, task = answers["backend"], answers["task"]
    configs = ROOT / "golden" / name / "configs"
    for group, entries in (("model", CATALOG.models), ("data", CATALOG.datasets)):
        fitting = {n for n, e in entries.items() if backend in e.backends}
        fitting &= {n for n, e in entries.items() if task in e.tasks}
        assert {p.stem for p in (configs / group).glob("*.yaml")} == fitting


def test_datasets_agree_with_the_emitted_registry(golden_package):
    registry = golden_package("lightning-resnet18-digits", "data.registry")
    for name, entry in of_task(CATALOG.datasets, "classification").items():
        info = registry.DATASETS[name]
        if entry.shape is None:  # shape (and classes) from the files and the config
            assert (info.channels, info.image_size, info.num_classes) == (None,) * 3
            continue
        assert (info.channels, info.image_size, info.image_size) == entry.shape
        assert info.num_classes == entry.classes


def test_segmentation_datasets_agree_with_the_emitted_ones(golden_package):
    """Each has a config (its shape as the catalog says) and a folder to read from."""
    sets = golden_package("lightning-unet-digit-canvas", "data.coco_sets")
    catalog = of_task(CATALOG.datasets, "segmentation")
    assert set(sets.DATASETS) == set(catalog)
    configs = ROOT / "golden" / "lightning-unet-digit-canvas" / "configs" / "data"
    for name, entry in catalog.items():
        config = yaml.safe_load((configs / f"{name}.yaml").read_text())
        if entry.shape is not None:
            size = config["image_size"]
            assert (config["channels"], size, size) == entry.shape


@pytest.mark.parametrize("name", list(CATALOG.models))
def test_parameter_counts_are_what_the_emitted_code_builds(golden_package, name):
    (task,) = CATALOG.models[name].tasks
    golden = {
        "segmentation": "lightning-unet-digit-canvas",
        "detection": "lightning-yolov5n-digit-canvas",
        "instance_segmentation": "lightning-maskrcnn-digit-canvas",
    }.get(task, "lightning-resnet18-digits")
    models = golden_package(golden, "models")
    from omegaconf import OmegaConf

    cfg = OmegaConf.create({"name": name, "small_input_stem": False})
    classes, size = (10, 28) if name == "lenet" else (1000, 224)
    if task != "classification":
        classes, size = (21 if task == "segmentation" else 80), 64
    net = models.build_model(cfg, 1 if name == "lenet" else 3, classes, size)
    counted = sum(p.numel() for p in net.parameters()) / 1e6
    assert counted == pytest.approx(CATALOG.models[name].parameters_m, abs=0.006)


@pytest.mark.parametrize("backend", BACKENDS)
def test_emitted_pins_are_the_tested_versions(backend):
    """requirements.txt == pyproject's `emitted-<backend>` extra == what the tests use."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    extra = dict(
        line.split("==")
        for line in project["project"]["optional-dependencies"][f"emitted-{backend}"]
    )
    template = BLUEPRINTS / backend / "requirements.txt"
    if not template.exists():  # a task's own packages are added by {% if %} lines
        template = template.with_name("requirements.txt.jinja")
    requirements = template.read_text()
    pins = dict(
        line.split("#")[0].strip().split("==")
        for line in requirements.splitlines()
        if "==" in line and not line.startswith(("#", "{%"))
    )
    assert pins == extra
    for package, pinned in extra.items():
        assert version(package) == pinned, package


@pytest.mark.parametrize(
    "task, golden",
    [
        ("classification", "paddle-resnet18-digits"),
        ("segmentation", "paddle-unet-digit-canvas"),
        ("detection", "paddle-yolov5n-digit-canvas"),
    ],
)
def test_paddle_parameter_counts_match_the_catalog(rendered, task, golden):
    """In a subprocess: the paddle golden's package shares its name with its twin's.
    Sizes as in the Lightning test above (segmentation models: 21 classes, 64 px;
    detection models: 80 classes, 64 px)."""
    package = golden.split("-", 1)[1].replace("-", "_")
    names = [
        m
        for m, e in CATALOG.models.items()
        if "paddle" in e.backends and task in e.tasks
    ]
    code = (
        "import sys, json; sys.path.insert(0, '.')\n"
        "from omegaconf import OmegaConf\n"
        f"from {package}.models import build_model\n"
        f"from {package}.records.environment import trainable_parameters\n"
        "counts = {}\n"
        f"for name in {names!r}:\n"
        "    cfg = OmegaConf.create({'name': name, 'small_input_stem': False})\n"
        "    lenet = name == 'lenet'\n"
        "    classes, size = (10, 28) if lenet else (1000, 224)\n"
        f"    if {task == 'segmentation'}:\n"
        "        classes, size = 21, 64\n"
        f"    if {task == 'detection'}:\n"
        "        classes, size = 80, 64\n"
        "    net = build_model(cfg, 1 if lenet else 3, classes, size)\n"
        "    counts[name] = trainable_parameters(net)\n"
        "print(json.dumps(counts))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=rendered(golden),
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    counts = json.loads(done.stdout.strip().splitlines()[-1])
    assert sorted(counts) == sorted(names) and names
    for name, count in counts.items():
        assert count / 1e6 == pytest.approx(
            CATALOG.models[name].parameters_m, abs=0.006
        ), name
