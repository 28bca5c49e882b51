"""The layers above configs/config.yaml: a named experiment and an environment.

    python train.py experiment=finetune env=cluster trainer.max_epochs=3

Precedence, lowest first: configs/config.yaml and the group options it picks, then
configs/experiment/<name>.yaml, then configs/env/<name>.yaml, then the command line.
An experiment or env file may pick group options under `defaults:` (as config.yaml
does; a group=option on the command line still wins) and may `extends:` another of its
folder. An experiment may declare `stages:`, run one after another (stages.py).
"""

import re

from omegaconf import DictConfig, ListConfig, OmegaConf

from ..errors import UserError, did_you_mean
from .files import read_option
from .schema import GROUPS

LAYERS = ("experiment", "env")  # in the order they are applied
STAGE_NAME = re.compile(r"[A-Za-z0-9_-]+")  # a stage's name names its directory
RESERVED = ("stages", "stage", "experiment", "env", "ckpt_path", "output_dir")
STAGE_KEYS = {"name", "index", "of", "from"}  # what a series sets `stage` to
STAGE_FORM = "stages: [{name: head, optimizer.lr: 0.01}, {name: all, ...}]"


def read_layer(layer: str, name: str) -> tuple[dict, DictConfig]:
    """configs/<layer>/<name>.yaml: the group options it picks, and its keys (which
    name the layer, so a run's config.yaml says which experiment and env made it)."""
    node = read_option(layer, name)
    picks = node.pop("defaults", None)
    picks = OmegaConf.create() if picks is None else picks
    if not isinstance(picks, DictConfig) or not all(
        isinstance(option, str) for option in picks.values()
    ):
        raise UserError(
            f"configs/{layer}/{name}.yaml: defaults must name one option per group,"
            " e.g. model: resnet18"
        )
    for group in picks:
        if group not in GROUPS:
            hint = did_you_mean(str(group), GROUPS)
            raise UserError(
                f"configs/{layer}/{name}.yaml: defaults names no group '{group}'.{hint}"
                f" Groups: {', '.join(GROUPS)}"
            )
    node[layer] = name
    return dict(picks), node


def read_layers(layers: dict, saved: bool = False) -> tuple[dict, list]:
    """The group options `layers` ({"env": "cluster", ...}) pick, and their (where,
    keys) steps: experiment, then env, whatever the arguments' order. On a saved
    config only env applies (a run resumed elsewhere), and it may pick no option."""
    picks, steps = {}, []
    for layer in LAYERS:
        if layer in layers:
            where = f"configs/{layer}/{layers[layer]}.yaml"
            more, node = read_layer(layer, layers[layer])
            if saved and more:
                raise UserError(
                    f"{where}: defaults picks options, which a saved config fixes"
                )
            picks |= more
            steps.append((f"in {where}", node))
    return picks, steps


def check_stages(stages, where: str) -> list[str]:
    """The names of the stages, once their form is known to be right."""
    if not isinstance(stages, ListConfig) or not stages:
        raise UserError(f"{where}: stages must be a list of stages, e.g. {STAGE_FORM}")
    names = []
    for n, stage in enumerate(stages, 1):
        name = stage.get("name") if isinstance(stage, DictConfig) else None
        if not isinstance(name, str) or not STAGE_NAME.fullmatch(name):
            raise UserError(
                f"{where}: stage {n} needs a name of letters, digits, - or _"
                f" and its keys, e.g. {STAGE_FORM}"
            )
        if name in names:
            raise UserError(f"{where}: two stages are named '{name}'; rename one")
        for key in stage:
            if str(key).split(".")[0] in RESERVED:
                raise UserError(
                    f"{where}: stage '{name}' sets {key}, which a stage cannot change"
                )
        names.append(name)
    return names


def check_series_keys(cfg: DictConfig) -> None:
    """`stages` in its form, `stage` as only a series sets it, and model.freeze's form
    (its prefixes are checked against the model once it is built), so that a stage's
    mistake is found before any stage runs."""
    if cfg.stages is not None:
        check_stages(cfg.stages, stages_file(cfg))
    freeze = cfg.model.freeze
    if freeze not in (None, "backbone") and not (
        isinstance(freeze, ListConfig) and all(isinstance(p, str) for p in freeze)
    ):
        raise UserError(
            f"model.freeze={freeze}: it must be null, backbone, or a list of"
            " parameter-name prefixes"
        )
    stage = cfg.stage
    if stage is not None and (
        not isinstance(stage, DictConfig) or set(stage) != STAGE_KEYS
    ):
        raise UserError(
            "stage: a series sets it for each of its runs (its name, index, of and"
            " from); leave it null"
        )


def stage_overrides(stage: DictConfig) -> DictConfig:
    """A stage's keys as one nested mapping: `optimizer.lr: 0.01` or `optimizer: {lr:
    0.01}` alike."""
    node = OmegaConf.create()
    for key, value in stage.items():
        if key != "name":
            OmegaConf.update(node, str(key), value, merge=True)
    return node


def stage_step(cfg: DictConfig, index: int, where: str) -> tuple[str, DictConfig]:
    """The experiment's stage `index`, as one more step right after the experiment."""
    names = check_stages(cfg.stages, stages_file(cfg))
    return f"{where}, stage '{names[index]}'", stage_overrides(cfg.stages[index])


def stages_file(cfg: DictConfig) -> str:
    """Where the stages were declared, for messages."""
    if cfg.experiment:
        return f"configs/experiment/{cfg.experiment}.yaml"
    return "the config"
