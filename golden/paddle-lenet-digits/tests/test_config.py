"""The configs compose, overrides and environment variables apply, mistakes are refused."""

import subprocess
import sys
from pathlib import Path

import pytest
from omegaconf import OmegaConf

from lenet_digits.config import files
from lenet_digits.config.compose import compose
from lenet_digits.config.files import CONFIG_DIR, read_option, read_yaml
from lenet_digits.config.schema import GROUPS, OPTIONS, Config
from lenet_digits.errors import UserError

ROOT = Path(__file__).resolve().parent.parent


def test_defaults_are_the_generated_choice():
    cfg = compose([])
    assert (cfg.model.name, cfg.data.name) == ("lenet", "digits")


@pytest.mark.parametrize("group", GROUPS)
def test_every_option_of_every_group_composes(group):
    options = sorted(p.stem for p in (CONFIG_DIR / group).glob("*.yaml"))
    assert options
    for option in options:
        compose([f"{group}={option}"])


def leaves(node: dict, prefix: str = "") -> dict:
    """{"a.b": value} for every value in a nested dict."""
    found = {}
    for key, value in node.items():
        if isinstance(value, dict):
            found.update(leaves(value, f"{prefix}{key}."))
        else:
            found[prefix + key] = value
    return found


def test_every_default_lives_once_in_configs():
    """The schema holds types only, and no option sets a key that config.yaml sets
    (config.yaml wins, so the option's value could never take effect)."""
    schemas = [Config, *(s for named in OPTIONS.values() for s in named.values())]
    for schema in schemas:
        values = leaves(OmegaConf.to_container(OmegaConf.structured(schema)))
        assert set(values.values()) == {"???"}, f"a default in {schema.__name__}"
    root = OmegaConf.to_container(read_yaml(CONFIG_DIR / "config.yaml"))
    for group in GROUPS:
        in_root = set(leaves(root.get(group, {})))
        for option in sorted(p.stem for p in (CONFIG_DIR / group).glob("*.yaml")):
            keys = set(leaves(OmegaConf.to_container(read_option(group, option))))
            assert not in_root & keys, f"configs/{group}/{option}.yaml sets in vain"


def test_an_option_extends_another_but_never_in_a_circle(tmp_path, monkeypatch):
    debug, default = compose(["trainer=debug"]).trainer, compose([]).trainer
    assert debug.max_epochs == 1 and debug.accelerator == default.accelerator
    monkeypatch.setattr(files, "CONFIG_DIR", tmp_path)
    (tmp_path / "trainer").mkdir()
    (tmp_path / "trainer" / "a.yaml").write_text("extends: b\nmax_epochs: 1\n")
    (tmp_path / "trainer" / "b.yaml").write_text("extends: a\n")
    with pytest.raises(UserError, match="in a circle: a -> b -> a"):
        read_option("trainer", "a")
    (tmp_path / "trainer" / "c.yaml").write_text("extends: nope\n")
    with pytest.raises(
        UserError, match=r"c\.yaml: extends 'nope': no trainer option 'nope'"
    ):
        read_option("trainer", "c")


def test_overrides_and_environment_variables(monkeypatch):
    monkeypatch.setenv("DATA_ROOT", "/srv/datasets")
    cfg = compose(["trainer.max_epochs=3", "optimizer.lr=0.5", "loggers=[csv]"])
    assert cfg.trainer.max_epochs == 3 and cfg.optimizer.lr == 0.5
    assert cfg.data.root == "/srv/datasets" and list(cfg.loggers) == ["csv"]


@pytest.mark.parametrize(
    "arg, message",
    [
        ("trainer.max_epoch=3", "Did you mean trainer.max_epochs?"),
        ("model=resnet81", "Did you mean resnet18"),
        ("trainer.precision=fp16", "expected one of"),
        ("data.batch_size=0", "data.batch_size=0 is not allowed"),
        ("trainer.limit_train_batches=0", "must be above 0"),
        ("optimizer.name=sgd", "pick the option instead: optimizer="),
    ],
)
def test_mistakes_are_refused_with_the_fix(arg, message):
    with pytest.raises(UserError, match=message.replace("?", r"\?")):
        compose([arg])


@pytest.mark.parametrize(
    "text, message",
    [
        ("- a\n", "must hold keys and values, not a list"),
        ("3\n", "must hold keys and values, not the value 3"),
        ("a: [\n", "is not valid YAML at line 2"),
        ("<<<<<<< before updating\na: 1\n", "holds conflict markers"),
    ],
)
def test_a_config_file_that_is_no_mapping_is_refused(tmp_path, text, message):
    path = tmp_path / "x.yaml"
    path.write_text(text)
    with pytest.raises(UserError, match=message):
        read_yaml(path)


def test_a_mistake_exits_2_with_one_line_and_no_traceback():
    result = subprocess.run(
        [sys.executable, "train.py", "trainer.max_epoch=3"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: unknown key 'trainer.max_epoch'")
    assert "Traceback" not in result.stderr
