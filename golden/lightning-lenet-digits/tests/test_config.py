"""The configs compose, overrides and environment variables apply, mistakes are refused."""

import subprocess
import sys
from pathlib import Path

import pytest
from omegaconf import OmegaConf

from lenet_digits.config.compose import compose
from lenet_digits.config.files import CONFIG_DIR
from lenet_digits.config.resume import check_resume
from lenet_digits.config.schema import GROUPS
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


def test_a_resumed_run_takes_only_the_changes_it_can():
    onecycle = ["scheduler=onecycle", "optimizer=adamw"]
    saved = OmegaConf.to_container(compose(onecycle), resolve=True)
    elsewhere = compose([*onecycle, "data.root=/elsewhere", "trainer.devices=1"])
    check_resume(elsewhere, saved)  # open to change
    with pytest.raises(UserError, match=r"a resumed run keeps optimizer\.lr=0\.003"):
        check_resume(compose([*onecycle, "optimizer.lr=0.5"]), saved)
    with pytest.raises(UserError, match="onecycle schedule is planned for"):
        check_resume(compose([*onecycle, "trainer.max_epochs=99"]), saved)
    step = ["scheduler=step", "optimizer=adamw"]
    saved = OmegaConf.to_container(compose(step), resolve=True)
    check_resume(compose([*step, "trainer.max_epochs=99"]), saved)  # step may grow


def test_overrides_and_environment_variables(monkeypatch):
    monkeypatch.setenv("DATA_ROOT", "/srv/datasets")
    cfg = compose(["trainer.max_epochs=3", "optimizer.lr=0.5", "loggers=[csv]"])
    assert cfg.trainer.max_epochs == 3 and cfg.optimizer.lr == 0.5
    assert cfg.data.root == "/srv/datasets" and list(cfg.loggers) == ["csv"]


@pytest.mark.parametrize(
    "arg, message",
    [
        ("trainer.max_epoch=3", "Did you mean trainer.max_epochs?"),
        ("lr=0.1", "Did you mean optimizer.lr?"),  # a nested key by its last name
        ("epochs=3", "Did you mean trainer.max_epochs?"),
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
