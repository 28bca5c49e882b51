"""The catalog tells the truth about the blueprints and the models they build."""

import tomllib
from importlib.metadata import version

import pytest

from generator.catalog import CATALOG
from tests.goldens import ROOT

BLUEPRINTS = ROOT / "blueprints"


@pytest.mark.parametrize("backend", ["lightning"])
def test_every_catalog_entry_has_a_config_and_every_config_an_entry(backend):
    configs = BLUEPRINTS / backend / "configs"
    models = {m for m, e in CATALOG.models.items() if backend in e.backends}
    datasets = {d for d, e in CATALOG.datasets.items() if backend in e.backends}
    assert {p.stem for p in (configs / "model").glob("*.yaml")} == models
    assert {p.stem for p in (configs / "data").glob("*.yaml")} == datasets


def test_datasets_agree_with_the_emitted_registry(golden_package):
    registry = golden_package("lightning-resnet18-digits", "data.registry")
    for name, entry in CATALOG.datasets.items():
        info = registry.DATASETS[name]
        assert (info.channels, info.image_size, info.image_size) == entry.shape
        assert info.num_classes == entry.classes


@pytest.mark.parametrize("name", list(CATALOG.models))
def test_parameter_counts_are_what_the_emitted_code_builds(golden_package, name):
    models = golden_package("lightning-resnet18-digits", "models")
    from omegaconf import OmegaConf

    cfg = OmegaConf.create({"name": name, "small_input_stem": False})
    classes, size = (10, 28) if name == "lenet" else (1000, 224)
    net = models.build_model(cfg, 1 if name == "lenet" else 3, classes, size)
    counted = sum(p.numel() for p in net.parameters()) / 1e6
    assert counted == pytest.approx(CATALOG.models[name].parameters_m, abs=0.006)


def test_emitted_pins_are_the_tested_versions():
    """requirements.txt == pyproject's `emitted` extra == what this test run uses."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    extra = {
        line.split("==")[0]: line.split("==")[1]
        for line in project["project"]["optional-dependencies"]["emitted"]
    }
    for requirements in BLUEPRINTS.glob("*/requirements.txt"):
        pins = dict(
            line.split("#")[0].strip().split("==")
            for line in requirements.read_text().splitlines()
            if "==" in line
        )
        assert pins == extra, requirements
    for package, pinned in extra.items():
        assert version(package) == pinned, package
