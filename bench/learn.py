"""How well an emitted project learns with its defaults: its test score and wall time.

python -m bench learn [--model resnet18] [--data digits] [--backends lightning,paddle]
python -m bench learn --task segmentation [--backends lightning]   # the task's defaults
A benchmark, not a test: resnet18 on digits takes minutes on a CPU (~4 on two cores),
so the test suite keeps only short runs (tests/test_twins.py, tests/test_segmentation.py).
Classification reports test/acc, segmentation test/miou, detection test/map50.
"""

import json
import sys
import tempfile
from pathlib import Path

import yaml
from onefit.schemas.catalog import BACKENDS

from .runs import emit, timed


def add_arguments(options) -> None:
    options.add_argument("--task", default="classification")
    options.add_argument("--model", help="default: resnet18, or the task's for others")
    options.add_argument("--data", help="default: digits, or the task's for others")
    options.add_argument("--backends", default=",".join(BACKENDS))


def main(args) -> None:
    classification = args.task == "classification"
    model = args.model or ("resnet18" if classification else None)
    data = args.data or ("digits" if classification else None)
    score = {"classification": "test/acc", "segmentation": "test/miou"}.get(
        args.task, "test/map50"
    )
    with tempfile.TemporaryDirectory() as scratch:
        for backend in args.backends.split(","):
            project = Path(scratch) / backend
            choices = {"task": args.task, "model": model, "data": data}
            emit(project, backend=backend, **choices)
            cmd = [sys.executable, "train.py", "trainer.enable_progress_bar=false"]
            seconds, _ = timed(cmd, project)
            (run_dir,) = (project / "runs").iterdir()
            metrics = json.loads((run_dir / "metrics.json").read_text())
            config = yaml.safe_load((run_dir / "config.yaml").read_text())
            print(
                f"{backend:<10} {config['model']['name']}/{config['data']['name']}  {score} "
                f"{metrics[score]:.4f}  {seconds:6.1f} s (python train.py)"
            )
