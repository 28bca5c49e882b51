"""The command line shared by train.py, eval.py and predict.py.

Only the config is read before it is known to be valid: torch loads afterwards, so a
mistake is reported in about a second.
"""

import difflib
import re
import sys
from pathlib import Path

from ..errors import UserError
from .compose import compose
from .files import options_of, read_yaml
from .layers import LAYERS
from .resume import check_resume, check_this_project, check_trained_as
from .schema import GROUPS
from .sources import annotated_yaml

NONE = (None, "", "null")  # ckpt_path= not given, or given as none
FLAG = re.compile(r"(?:^|[\s,])(--?[a-z][a-z-]*)")  # -h, --help ... in a FLAGS text
FLAGS = """
Flags:
  -h, --help         show this help
  --print-config     print the composed config, each value with where it came from,
                     and exit (nothing runs)
  --config FILE      start from FILE (a run's config.yaml) instead of configs/
"""


def parse_cli(
    argv: list[str],
    usage: str,
    from_checkpoint: bool = False,
    resume: bool = False,
    stage: int | None = None,
    flags: str = FLAGS,
):
    """The validated config for `argv`, after answering --help or --print-config.

    from_checkpoint: start from the config saved in `ckpt_path=...` instead of configs/.
    resume: the same where `ckpt_path=...` is given, keeping what a resumed run must keep.
    stage: the config of the experiment's stage `stage` (from 0), not the whole's.
    flags: the flags --help lists (a script that takes other flags passes its own).
    """
    if "-h" in argv or "--help" in argv:
        print(usage.strip() + "\n" + flags + options_help())
        raise SystemExit(0)
    check_flags(argv, flags)
    if (ckpt := take_arg(argv, "ckpt_path")[1]) is not None and not ckpt.strip():
        raise UserError(  # `ckpt_path=$LAST` with LAST unset: no silent fresh start
            "ckpt_path is empty (an unset shell variable?): name a checkpoint file, or"
            " ckpt_path=null for none"
        )
    given, show = list(argv), "--print-config" in argv
    argv = [a for a in argv if a != "--print-config"]
    base = None
    if "--config" in argv:
        at = argv.index("--config")
        if at + 1 == len(argv):
            raise UserError("--config needs a file: --config runs/<run>/config.yaml")
        base = read_yaml(Path(argv[at + 1]).expanduser())  # quoted: not the shell's
        check_this_project(base, f"--config {argv[at + 1]}")
        argv = argv[:at] + argv[at + 2 :]
    elif (from_checkpoint or resume) and take_arg(argv, "ckpt_path")[1] not in NONE:
        path = take_arg(argv, "ckpt_path")[1]
        from ..checkpoint import checkpoint_config

        base = checkpoint_config(path)
        check_this_project(base, f"ckpt_path={path}")
    steps = []
    cfg = compose(argv, base, stage, steps)
    for index in range(len(cfg.stages or ()) if stage is None else 0):
        compose(argv, base, index)  # every stage checked before any runs
    if resume and base is not None and "--config" not in given:
        check_resume(cfg, base)
    if from_checkpoint and base is not None and "--config" not in given:
        check_trained_as(cfg, base)
    if from_checkpoint and not cfg.ckpt_path:
        raise UserError("give the checkpoint: ckpt_path=runs/<run>/checkpoints/best.*")
    if show:
        print(annotated_yaml(cfg, steps), end="")
        raise SystemExit(0)
    return cfg


def check_flags(argv: list[str], flags: str) -> None:
    """A flag the script does not take, in one line with the closest it does."""
    known = FLAG.findall(flags)
    for at, arg in enumerate(argv):
        name = arg.split("=", 1)[0]
        if (
            arg.startswith("-")
            and name not in known
            and argv[at - 1 : at] != ["--config"]
        ):
            lowered = {flag.lower(): flag for flag in known}  # --JSON: --json
            close = difflib.get_close_matches(name.lower(), lowered, n=1, cutoff=0.6)
            script = Path(sys.argv[0]).name
            hint = (
                f"did you mean {lowered[close[0]]}?"
                if close
                else f"{script} --help lists them"
            )
            raise UserError(f"unknown flag {name}; {hint}")


def options_help() -> str:
    lines = ["\nGroups (group=option, from configs/<group>/<option>.yaml):"]
    for group in GROUPS:
        lines.append(f"  {group:<10} {', '.join(options_of(group))}")
    lines.append("\nLayers (experiment=NAME, env=NAME: configs/<layer>/NAME.yaml):")
    for layer in LAYERS:
        lines.append(f"  {layer:<10} {', '.join(options_of(layer))}")
    lines.append("\nAny key can be set with key=value; see configs/config.yaml.")
    return "\n".join(lines)


def take_arg(argv: list[str], key: str) -> tuple[list[str], str | None]:
    """argv without `key=value`, and that value (None when absent)."""
    rest = [arg for arg in argv if not arg.startswith(key + "=")]
    values = [arg.split("=", 1)[1] for arg in argv if arg.startswith(key + "=")]
    return rest, values[-1] if values else None
