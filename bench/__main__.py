"""python -m bench hand|twins|gpu|learn|adversary|stream|folder|yolo|serve|lean|mnist|floor [options]: see each module's docstring."""

import argparse
import importlib

from . import BENCHES

options = argparse.ArgumentParser(prog="python -m bench")
commands = options.add_subparsers(dest="bench", required=True)
# Each is imported only once chosen: `gpu --project` runs where copier is absent.
for name in BENCHES:
    commands.add_parser(name, add_help=False)
args, rest = options.parse_known_args()
bench = importlib.import_module(f".{args.bench}", __package__)
chosen = argparse.ArgumentParser(prog=f"python -m bench {args.bench}")
bench.add_arguments(chosen)
bench.main(chosen.parse_args(rest))
