"""environment.yml (the conda route) holds requirements.txt's pins, from one list, for
every backend, task and feature; the README names both routes and links to the
tutorials of its task and features on the docs site."""

import itertools
import re

import jinja2
import pytest
import yaml
from jinja2.sandbox import SandboxedEnvironment
from onefit.source import BLUEPRINTS

from tests.goldens import FULL, GOLDEN, answers_of, full_name, golden_names

TASKS = {
    "lightning": [
        "classification",
        "segmentation",
        "detection",
        "instance_segmentation",
    ],
    "paddle": ["classification", "segmentation", "detection"],
}
FEATURES = ["export", "serve", "ci", "hpo", "wandb", "mlflow"]
DOCS_URL = yaml.safe_load((BLUEPRINTS / "copier.yml").read_text())["docs_url"][
    "default"
]


def pins(requirements: str) -> list[str]:
    """The requirement lines of requirements.txt, comments left out."""
    lines = (line.strip() for line in requirements.splitlines())
    return [line.split("#")[0].strip() for line in lines if line and line[0] != "#"]


def conda_pins(environment: str) -> list[str]:
    """environment.yml's pip packages, after checking what conda needs around them."""
    spec = yaml.safe_load(environment)
    assert spec["channels"] == ["conda-forge"]
    *conda, pip = spec["dependencies"]
    assert conda == ["python=3.11", "pip"]
    return pip["pip"]


def render(path: str, **answers) -> str:
    """A blueprint file rendered as copier renders it: the loader rooted at blueprints/."""
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(BLUEPRINTS),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return env.get_template(path).render(**answers)


@pytest.mark.parametrize("backend", sorted(TASKS))
def test_environment_yml_pins_what_requirements_txt_pins(backend):
    """Every task, with no feature, each feature alone, and all of them."""
    choices = [[], *([f] for f in FEATURES), FEATURES]
    for task, features in itertools.product(TASKS[backend], choices):
        answers = {"backend": backend, "task": task, "features": features}
        answers["project_name"] = "p"
        requirements = render(f"{backend}/requirements.txt.jinja", **answers)
        environment = render(f"{backend}/environment.yml.jinja", **answers)
        assert conda_pins(environment) == pins(requirements), (task, features)
        assert "ipdb==0.13.13" in pins(requirements)


@pytest.mark.parametrize("name", sorted(FULL.values()))
def test_the_goldens_environment_and_readme_name_both_routes(name):
    project = GOLDEN / name
    environment = (project / "environment.yml").read_text()
    assert conda_pins(environment) == pins((project / "requirements.txt").read_text())
    assert yaml.safe_load(environment)["name"] == answers_of(name)["project_name"]
    readme = (project / "README.md").read_text()
    assert "pip install -r requirements.txt" in readme
    assert "conda env create -f environment.yml" in readme


def tutorials(answers: dict) -> set[str]:
    """The docs site's tutorials a project's README links to (the docs' URL map)."""
    task, features = answers["task"], set(answers["features"])
    pages = {
        "classification": {"classification", "own-images"},
        "detection": {"detection"},
    }.get(task, {"segmentation"})
    if features & {"export", "serve"}:
        pages.add("export-and-serve")
    if "hpo" in features:
        pages.add("search")
    return {f"{DOCS_URL}tutorials/{page}/" for page in pages}


def linked(readme: str) -> set[str]:
    return set(re.findall(rf"\]\(({re.escape(DOCS_URL)}[^)]*)\)", readme))


@pytest.mark.parametrize("name", golden_names())
def test_the_readme_links_to_the_tutorials_of_its_task_and_features(name):
    """A golden stored as differences holds the link lines only where its own differ
    from its FULL golden's (lightning-resnet18-digits: every feature)."""
    project = GOLDEN / name
    if (project / "README.md").exists():
        links = linked((project / "README.md").read_text())
    else:  # the lines it has, and their context: not those it lost
        lines = (project / "README.md.diff").read_text().splitlines()
        links = linked("\n".join(line for line in lines if not line.startswith("-")))
        links = links or linked((GOLDEN / full_name(name) / "README.md").read_text())
    assert links == tutorials(answers_of(name))
    assert DOCS_URL == "https://onefit.readthedocs.io/en/latest/"
