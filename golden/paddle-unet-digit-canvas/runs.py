"""Read back the runs under output_dir: list them, show one, diff two, compare several,
aggregate seeds, and (re)write a run's report.

Usage: python runs.py list [--group-seeds]
  python runs.py show RUN
  python runs.py diff RUN_A RUN_B
  python runs.py compare RUN_A RUN_B ... [--metric val/acc] [--out compare.png]
  python runs.py seeds                  # mean ± std over runs differing only by seed
  python runs.py report RUN             # RUN/report.html again
RUN: a run directory, or a unique beginning or end of its name (as `list` shows it).
--runs DIR: where the runs are (default: output_dir of configs/config.yaml).
"""

import argparse
from pathlib import Path

from omegaconf import OmegaConf

from unet_digit_canvas.errors import run_cli
from unet_digit_canvas.runs.comparison import compare_table, plot_metric
from unet_digit_canvas.runs.differences import diff
from unet_digit_canvas.runs.listing import COLUMNS, monitored, rows
from unet_digit_canvas.runs.listing import shared_arguments, show, table
from unet_digit_canvas.runs.run_dirs import find_runs, pick_run
from unet_digit_canvas.runs.seed_groups import seeds_text


def default_runs() -> str:
    """output_dir as configs/config.yaml sets it (it may read the environment)."""
    try:
        return str(OmegaConf.load("configs/config.yaml").output_dir)
    except Exception:  # no config here, or an unresolvable value: the usual place
        return "runs"


def arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--runs", dest="folder", default=None, help="the folder of runs"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    listed = commands.add_parser("list", help="every run, oldest first")
    listed.add_argument("--group-seeds", action="store_true")
    commands.add_parser("show", help="one run in full").add_argument("run")
    differ = commands.add_parser("diff", help="what differs between two runs")
    differ.add_argument("names", nargs=2)
    compare = commands.add_parser("compare", help="a table and a plot of runs")
    compare.add_argument("names", nargs="+")
    compare.add_argument("--metric", default=None, help="default: the monitored one")
    compare.add_argument("--out", default=None, help="default: <runs>/compare.png")
    commands.add_parser("seeds", help="mean ± std over runs differing only by seed")
    commands.add_parser("report", help="write RUN/report.html").add_argument("run")
    return parser.parse_args(argv)


def main(argv: list[str]) -> None:
    args = arguments(argv)
    root = Path(args.folder or default_runs())
    if args.command == "list" and not args.group_seeds:
        runs = find_runs(root)
        print(table(COLUMNS, rows(runs)))
        if shared := shared_arguments(runs):
            print(f"every run: {' '.join(sorted(shared))}")
    elif args.command in ("seeds", "list"):
        print(seeds_text(find_runs(root)))
    elif args.command == "show":
        print(show(pick_run(root, args.run)))
    elif args.command == "diff":
        print(diff(*(pick_run(root, name) for name in args.names)))
    elif args.command == "compare":
        runs = [pick_run(root, name) for name in args.names]
        metric = args.metric or monitored(runs[0])[0]
        out = Path(args.out or root / f"compare_{metric.replace('/', '-')}.png")
        print(compare_table(runs))
        print(f"plot: {plot_metric(runs, metric, out)}")
    else:
        from unet_digit_canvas.reporting.report import write_report

        print(f"report: {write_report(pick_run(root, args.run).path)}")


if __name__ == "__main__":
    run_cli(main)
