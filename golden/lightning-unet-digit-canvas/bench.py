"""Time this repo's training path against a plain hand-written loop over the same model,
data and steps, the two taken in turns; print img/s, ms/step, peak host and device
memory, and the ratio of their times per step (1.00: as fast as the hand loop).

Usage: python bench.py [--rounds 5] [--warmup 3] [--steps 15] [--json] [key=value ...]
  python bench.py
  python bench.py --json model=resnet18 data.batch_size=256 > bench.json
The repo's path is train.py's own (callbacks, logging, checkpoints), for one epoch of
warmup + steps batches; its runs go to a temporary folder, removed at the end.
"""

import argparse
import contextlib
import io
import json
import tempfile

from unet_digit_canvas.benchmark.figures import StepClock, summarise, take_turns
from unet_digit_canvas.benchmark.table import machine, print_table
from unet_digit_canvas.config.cli import parse_cli
from unet_digit_canvas.errors import UserError, run_cli
from unet_digit_canvas.scaling.launchers import check_launch_variables


def short_run(batches: int, folder: str) -> list[str]:
    """train.py's overrides for a timed round: validation and test, one batch each,
    come after the timed steps; one device, so that both paths run on the same."""
    return [
        "trainer.max_epochs=1",
        f"trainer.limit_train_batches={batches}",
        "trainer.limit_val_batches=1",
        "trainer.limit_test_batches=1",
        "trainer.devices=1",
        "trainer.enable_progress_bar=false",
        "report=false",
        f"output_dir={folder}",
    ]


def refuse(message: str) -> None:
    raise UserError(f"bench.py: {message}")


def main(argv: list[str]) -> None:
    flags = argparse.ArgumentParser(add_help=False)  # -h: parse_cli shows __doc__
    flags.error = refuse  # one line, as every mistake, not argparse's usage and line
    flags.add_argument("--rounds", type=int, default=5)
    flags.add_argument("--warmup", type=int, default=3)
    flags.add_argument("--steps", type=int, default=15)
    flags.add_argument("--json", action="store_true")
    options, overrides = flags.parse_known_args(argv)
    if options.rounds < 1 or options.steps < 1 or options.warmup < 0:
        refuse("--rounds and --steps must be 1 or more, --warmup 0 or more")
    warmup = max(options.warmup, 1)  # the clock starts at the end of a step
    check_launch_variables()  # a stray LOCAL_RANK ...: refused as train.py refuses it
    devices = [o for o in overrides if o.split("=")[0] == "trainer.devices"]
    if devices and devices[-1].split("=", 1)[1] not in ("1", "auto"):
        refuse(
            f"{devices[-1]}: both paths time one process (the hand loop has no"
            " DDP); drop it, or time several processes with train.py"
        )
    with tempfile.TemporaryDirectory() as folder:
        runs = short_run(warmup + options.steps, folder)
        cfg = parse_cli([*overrides, *runs], __doc__)
        if cfg.scaling.effective_batch_size or cfg.trainer.accumulate_grad_batches > 1:
            refuse(  # the hand loop steps after every batch: the paths would differ
                "scaling.effective_batch_size and trainer.accumulate_grad_batches>1"
                " are not timed: the hand loop steps after every batch; drop them"
            )
        # The framework loads only now, so a config mistake is reported in a second.
        from unet_digit_canvas.benchmark import device
        from unet_digit_canvas.benchmark.hand_loop import hand_round
        from unet_digit_canvas.benchmark.repo_path import repo_round

        def measured(run_round):
            def one_round() -> dict:
                clock = StepClock(warmup, options.steps, device.sync)
                device.reset_peak()
                with contextlib.redirect_stdout(io.StringIO()):  # train.py's lines
                    run_round(cfg, clock)
                return clock.figures(cfg.data.batch_size, device.peak_mb())

            return one_round

        paths = {"repo": measured(repo_round), "hand": measured(hand_round)}
        rows = take_turns(paths, options.rounds)
    setup = {
        "model": cfg.model.name,
        "data": cfg.data.name,
        "batch_size": cfg.data.batch_size,
        "warmup": warmup,
        "steps": options.steps,
        "machine": machine(device.name()) | device.versions(),
    }
    result = summarise(rows, setup)
    if options.json:
        print(json.dumps(result, indent=2))
    else:
        print_table(result)


if __name__ == "__main__":
    run_cli(main)
