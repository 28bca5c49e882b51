"""How well an emitted project learns with its defaults: test accuracy and wall time.

python -m bench learn [--model resnet18] [--data digits] [--backends lightning,paddle]
A benchmark, not a test: resnet18 on digits takes minutes on a CPU (~4 on two cores),
so the test suite keeps only a short resnet18 run (tests/test_twins.py).
"""

import json
import sys
import tempfile
from pathlib import Path

from onefit.schemas.catalog import BACKENDS

from .runs import emit, timed


def add_arguments(options) -> None:
    options.add_argument("--model", default="resnet18")
    options.add_argument("--data", default="digits")
    options.add_argument("--backends", default=",".join(BACKENDS))


def main(args) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        for backend in args.backends.split(","):
            project = Path(scratch) / backend
            emit(project, model=args.model, data=args.data, backend=backend)
            cmd = [sys.executable, "train.py", "trainer.enable_progress_bar=false"]
            seconds, _ = timed(cmd, project)
            (run_dir,) = (project / "runs").iterdir()
            metrics = json.loads((run_dir / "metrics.json").read_text())
            print(
                f"{backend:<10} {args.model}/{args.data}  test/acc "
                f"{metrics['test/acc']:.4f}  {seconds:6.1f} s (python train.py)"
            )
