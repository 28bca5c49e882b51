"""tune.py's arguments: `hpo=NAME` picks configs/hpo/NAME.yaml, `hpo.key=value` sets one
of its keys, and every other argument is train.py's, for every trial. All of it is
checked, the space included, before optuna or the backend loads."""

import re
from dataclasses import dataclass
from pathlib import Path

from omegaconf import DictConfig, OmegaConf

from ..config.cli import parse_cli
from ..config.metrics import check_metric
from ..config.where_and_how import experiment_keys
from ..errors import UserError
from .search_file import read_hpo
from .space import check_space

DEFAULT = "quick"  # configs/hpo/quick.yaml
FLAGS = """
Flags:
  -h, --help         show this help
  --print-config     print one trial's composed config, each value with where it came
                     from, and exit (nothing runs)
  --summary          rewrite the summary, report and plots from the storage; train nothing
"""
STUDY_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


@dataclass
class Search:
    hpo: DictConfig  # the search config, checked
    study: str  # the study's name in its storage
    folder: Path  # <output_dir>/hpo-<study>: trials' runs, summary, plots
    args: list[str]  # train.py's arguments, the same for every trial
    space: dict  # config key: its range
    trains: dict  # what every trial trains with: experiment_keys but the space's
    summary_only: bool  # --summary: rewrite the summary from the storage, run nothing


def read_search(argv: list[str], usage: str) -> Search:
    """The checked search for tune.py's arguments (after answering --help)."""
    summary_only = "--summary" in argv
    argv = [arg for arg in argv if arg != "--summary"]
    mine = [arg for arg in argv if arg.startswith(("hpo=", "hpo."))]
    given = [arg for arg in argv if arg not in mine]
    for arg in given:
        if arg.startswith(("--config", "ckpt_path=", "debug=", "debug.")):
            raise UserError(
                f"{arg}: tune.py trains every trial afresh from configs/ and its"
                " arguments, unattended; --config, ckpt_path= and debug are train.py's"
            )
    names = [arg.split("=", 1)[1] for arg in mine if arg.startswith("hpo=")]
    name = names[-1] if names else DEFAULT
    hpo = read_hpo(name, [arg for arg in mine if arg.startswith("hpo.")])
    check_metric("hpo", hpo.metric, hpo.direction)  # before --print-config answers
    args = ["trainer.devices=1", *hpo.train, *given]
    cfg = parse_cli(
        args, usage, flags=FLAGS
    )  # train.py's checks, --help, --print-config
    if cfg.stages:  # a series is train.py's: stages.py runs one after another
        raise UserError(
            f"experiment={cfg.experiment} has stages: tune.py trains each trial as one"
            " run; search one stage's values (its keys on the command line), then run"
            " the series with the best: python train.py experiment=..."
        )
    if cfg.trainer.devices != 1:
        raise UserError(
            f"trainer.devices={cfg.trainer.devices}: tune.py trains each trial in one"
            " process on one device; for several GPUs start one tune.py per GPU"
            " (CUDA_VISIBLE_DEVICES=0 python tune.py ... &) on one hpo.storage"
        )
    study = hpo.study or name
    if not STUDY_NAME.fullmatch(study):
        raise UserError(
            f"hpo.study={study}: use letters, digits, '.', '_' and '-': it names a folder"
        )
    space = OmegaConf.to_container(hpo.space)
    check_space(space, args)
    folder = Path(cfg.output_dir) / f"hpo-{study}"
    trains = experiment_keys(OmegaConf.to_container(cfg, resolve=True), also=space)
    return Search(hpo, study, folder, args, space, trains, summary_only)
