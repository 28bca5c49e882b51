"""python -m generator.bench hand|twins [options]: see each module's docstring."""

import argparse

from . import hand, twins

options = argparse.ArgumentParser(prog="python -m generator.bench")
commands = options.add_subparsers(dest="bench", required=True)
for module in (hand, twins):
    module.add_arguments(commands.add_parser(module.__name__.rsplit(".", 1)[1]))
args = options.parse_args()
{"hand": hand.main, "twins": twins.main}[args.bench](args)
