"""The config files: every default stated once, `extends:` between options, and files
that are not a mapping of keys to values refused in one line."""

import pytest
from omegaconf import OmegaConf

from yolov5n_digit_canvas.config import files
from yolov5n_digit_canvas.config.compose import compose
from yolov5n_digit_canvas.config.files import CONFIG_DIR, read_option, read_yaml
from yolov5n_digit_canvas.config.resume import flat
from yolov5n_digit_canvas.config.options import OPTIONS
from yolov5n_digit_canvas.config.schema import GROUPS, Config
from yolov5n_digit_canvas.errors import UserError


def test_every_default_lives_once_in_configs():
    """The schema holds types only, and no option sets a key that config.yaml sets
    (config.yaml wins, so the option's value could never take effect)."""
    schemas = [Config, *(s for named in OPTIONS.values() for s in named.values())]
    for schema in schemas:
        values = flat(OmegaConf.to_container(OmegaConf.structured(schema)))
        assert set(values.values()) == {"???"}, f"a default in {schema.__name__}"
    root = OmegaConf.to_container(read_yaml(CONFIG_DIR / "config.yaml"))
    for group in GROUPS:
        in_root = set(flat(root.get(group, {})))
        for option in sorted(p.stem for p in (CONFIG_DIR / group).glob("*.yaml")):
            keys = set(flat(OmegaConf.to_container(read_option(group, option))))
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
