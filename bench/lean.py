"""The lean step on a shared machine: an emitted Lightning project's bench.py paths (its
train() and its hand loop) in turns, timed by the CPU time they use, on one thread.

python -m bench lean --project DIR [--rounds 5] [--warmup 5] [--steps 35] [key=value ...]
DIR: a rendered project (gen new ...). bench.py's wall clock swings 2-10x at a load of
8 on 2 cores (the process waits for a core); the CPU time a path burns per step barely
moves, so ratios of it are comparable across rounds (BENCHMARKS.md, "The lean step").
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROUNDS = r"""
import contextlib, io, json, os, statistics, sys, tempfile, time
import torch
torch.set_num_threads(1)  # one core's work: the other belongs to the machine's load
sys.path.insert(0, os.getcwd())
import bench
from importlib import import_module
package, rounds, warmup, steps, overrides = json.loads(sys.argv[1])
figures = import_module(f"{package}.benchmark.figures")
runs = bench.short_run(warmup + steps, tempfile.mkdtemp())
cfg = import_module(f"{package}.config.cli").parse_cli([*overrides, *runs], "")
paths = {"repo": import_module(f"{package}.benchmark.repo_path").repo_round,
         "hand": import_module(f"{package}.benchmark.hand_loop").hand_round}

class Clock(figures.StepClock):
    def tick(self):
        self.ticks += 1
        if self.ticks in (self.warmup, self.warmup + self.steps):
            self.marks = getattr(self, "marks", []) + [(time.process_time(), time.perf_counter())]

rows = {name: [] for name in paths}
for _ in range(rounds):
    for name, path in paths.items():
        clock = Clock(warmup, steps, lambda: None)
        with contextlib.redirect_stdout(io.StringIO()):
            path(cfg, clock)
        (cpu0, wall0), (cpu1, wall1) = clock.marks
        rows[name].append([1000 * (cpu1 - cpu0) / steps, 1000 * (wall1 - wall0) / steps])
cpu = {name: statistics.median(r[0] for r in rows[name]) for name in rows}
print(json.dumps({"cpu_ms_per_step": cpu, "ratio_cpu": cpu["repo"] / cpu["hand"],
                  "load_1min": os.getloadavg()[0], "rounds": rows}))
"""


def add_arguments(options) -> None:
    options.add_argument("--project", type=Path, required=True)
    options.add_argument("--rounds", type=int, default=5)
    options.add_argument("--warmup", type=int, default=5)
    options.add_argument("--steps", type=int, default=35)
    options.add_argument("overrides", nargs="*")


def main(args) -> None:
    (package,) = [
        p.parents[1].name for p in args.project.glob("*/benchmark/hand_loop.py")
    ]
    setup = [package, args.rounds, args.warmup, args.steps, args.overrides]
    done = subprocess.run(
        [sys.executable, "-c", ROUNDS, json.dumps(setup)],
        cwd=args.project,
        capture_output=True,
        text=True,
        env={**os.environ, "OMP_NUM_THREADS": "1"},
    )
    if done.returncode:
        sys.exit(done.stderr[-3000:])
    result = json.loads(done.stdout.splitlines()[-1])
    for name, ms in result["cpu_ms_per_step"].items():
        print(f"{name}: {ms:.2f} CPU ms/step")
    print(
        f"ratio (CPU time): {result['ratio_cpu']:.2f}, load {result['load_1min']:.1f}"
    )
    print(json.dumps(result))
