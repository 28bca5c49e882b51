"""The `gen` command line: its arguments, and every outcome as an exit code (one line and
code 2 for a mistake). What each command does is in commands.py, whose heavy imports
(pydantic, copier) wait until a command needs them, so `gen --help` answers at once."""

import argparse
import os
import sys
from pathlib import Path
from typing import NoReturn

from . import __version__
from .commands import COMMANDS
from .errors import GenError


class Parser(argparse.ArgumentParser):
    """argparse, with its mistakes on one line like every other (its own are a usage
    block and a line)."""

    def error(self, message: str) -> NoReturn:
        raise SystemExit(report(f"{message}; see: {self.prog} --help"))


def parser() -> argparse.ArgumentParser:
    top = Parser(
        prog="gen", description="Generate a small training repository you own."
    )
    top.add_argument("--version", action="version", version=f"onefit {__version__}")
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    new = commands.add_parser("new", help="generate a training project")
    new.add_argument(
        "--task",
        help="classification (default), segmentation, detection, instance_segmentation",
    )
    new.add_argument(
        "--model",
        help="a catalog model, e.g. resnet18 (default: the task's; gen list models)",
    )
    new.add_argument("--backend", help="lightning (default) or paddle")
    new.add_argument(
        "--data", help="a catalog dataset (default: the task's, e.g. digits)"
    )
    new.add_argument("--name", help="project name (default: <model>-<data>)")
    new.add_argument("--out", type=Path, help="target folder (default: ./<name>)")
    new.add_argument(
        "--with",
        dest="features",
        action="append",
        metavar="FEATURE",
        help="add an optional feature; repeatable (gen list features)",
    )
    new.add_argument("--spec", type=Path, help="a spec YAML file (fields: gen schema)")
    new.add_argument(
        "--force", action="store_true", help="write into a non-empty --out"
    )

    listing = commands.add_parser("list", help="list models, datasets or features")
    listing.add_argument("what", nargs="?", choices=["models", "data", "features"])
    listing.add_argument("--task", help="only the models and data for this task")
    commands.add_parser("schema", help="print the spec's JSON Schema")
    validate = commands.add_parser("validate", help="check a spec file")
    validate.add_argument("spec", type=Path)
    update = commands.add_parser(
        "update", help="upgrade a generated project (copier update)"
    )
    update.add_argument("project", type=Path, nargs="?", default=Path("."))
    return top


def main(argv: list[str] | None = None) -> None:
    try:
        code = run(argv)
        sys.stdout.flush()  # a closed pipe shows here, not as noise at exit
    except BrokenPipeError:  # `gen list | head -1`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 1
    raise SystemExit(code)


def run(argv: list[str] | None) -> int:
    """The command's exit code: 2 with one line for a mistake, 130 for Ctrl-C."""
    try:
        args = parser().parse_args(argv)
        return COMMANDS[args.command](args)
    except GenError as error:
        return report(str(error))
    except SystemExit as exit:  # argparse's --help, --version and mistakes
        return exit.code
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130


def report(message: str) -> int:
    """`error: <message>` on one line, whatever the message quotes; the exit code 2."""
    line = "".join(
        c if c.isprintable() else c.encode("unicode_escape").decode() for c in message
    )
    print(f"error: {line}", file=sys.stderr)
    return 2
