"""write_report(run_dir): the run's report.html and its pictures (report/*.png), from
the files of the run directory and what the test pass kept (test_outputs.npz)."""

import io
import json
from pathlib import Path

import numpy as np

from ..records.run_dir import write_bytes, write_text
from ..runs.curves import read_curves
from .boxes import box_pictures, pr_chart
from .figures import run_charts
from .page import page
from .test_outputs import FILE

HEADINGS = {
    "losses.png": "Losses",
    "metrics.png": "Validation metrics",
    "learning_rate.png": "Learning-rate schedule",
    "precision_recall.png": "Precision-recall curves",
    "answers.png": "Test images and the objects found: masks tinted, boxes named",
}


def read_outputs(run_dir: Path) -> dict:
    try:
        with np.load(run_dir / FILE) as saved:
            return {name: saved[name] for name in saved.files}
    except (OSError, ValueError):  # no test pass (interrupted, eval on its own)
        return {}


def test_pictures(outputs: dict) -> dict[str, bytes]:
    """{file name: PNG} of the test answers (none where the test kept none)."""
    if not outputs:
        return {}
    names = [str(name) for name in outputs["class_names"]]
    found = outputs.get("found_boxes", np.zeros(0)).reshape(-1, 7)
    truth = outputs.get("truth_boxes", np.zeros(0)).reshape(-1, 6)
    made = {"precision_recall.png": pr_chart(found, truth, names)}
    grid = box_pictures(outputs, names)
    if grid is not None:
        buffer = io.BytesIO()
        grid.save(buffer, format="PNG")
        made["answers.png"] = buffer.getvalue()
    return made


def write_report(run_dir: Path) -> Path:
    """Write `run_dir`/report.html and `run_dir`/report/*.png; return the page's path."""
    run_dir = Path(run_dir)
    record = json.loads((run_dir / "record.json").read_text())
    try:
        metrics = json.loads((run_dir / "metrics.json").read_text())
    except (OSError, ValueError):
        metrics = {}
    pictures = run_charts(read_curves(run_dir)) | test_pictures(read_outputs(run_dir))
    (run_dir / "report").mkdir(exist_ok=True)
    for name, content in pictures.items():
        write_bytes(run_dir / "report" / name, content)
    config = (run_dir / "config.yaml").read_text()
    shown = {name: (HEADINGS[name], content) for name, content in pictures.items()}
    write_text(
        run_dir / "report.html", page(run_dir.name, record, metrics, shown, config)
    )
    return run_dir / "report.html"
