"""`python runs.py` of an emitted project (both twins) on real run directories: three
short runs of resnet18 on digits (conftest's project: two seeds of one experiment
and another learning rate), a trial's run copied into a search folder; list, show,
diff, compare and seeds, their mistakes in one line, and no torch or paddle loaded."""

import json
import re
import shutil
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.conftest import run
from tests.messages import TRAIN, assert_one_documented_line

# runs.py as `python runs.py ...` runs it, with torch and paddle made unimportable:
# reading runs back must never load a framework.
WITHOUT_FRAMEWORKS = """import runpy, sys
sys.modules["torch"] = sys.modules["paddle"] = None
sys.argv = ["runs.py", *sys.argv[1:]]
runpy.run_path("runs.py", run_name="__main__")
"""


def runs_py(project: Path, *args: str):
    return run(["-c", WITHOUT_FRAMEWORKS, *args], project)


def run_ids(project: Path) -> list[str]:
    """The three runs' ids (their folder names), in the order they were trained."""
    runs = sorted(
        (project / "runs").glob("20*/record.json"), key=lambda p: p.parent.name
    )
    return [path.parent.name for path in runs]


@pytest.fixture
def project(trained_runs) -> Path:
    """The project of project, with a trial of tune.py's beside its runs: a run
    directory in a search's folder, whose record names the trial's parameters."""
    trial = trained_runs / "runs" / "search" / "trial-0007"
    if not trial.exists():
        shutil.copytree(trained_runs / "runs" / run_ids(trained_runs)[0], trial)
        record = json.loads((trial / "record.json").read_text())
        record["trial"] = {
            "study": "search",
            "number": 7,
            "params": {"optimizer.lr": 0.3},
        }
        record["started"] = "2099-01-01T00:00:00"  # the latest: listed last
        record["finished"] = "2099-01-01T00:01:03"
        (trial / "record.json").write_text(json.dumps(record))
        config = (
            (trial / "config.yaml").read_text().replace("  lr: 0.1\n", "  lr: 0.3\n")
        )
        (trial / "config.yaml").write_text(config)
    return trained_runs


def test_list_shows_every_run_oldest_first_with_its_overrides(project):
    started = time.perf_counter()
    result = runs_py(project, "list")
    took = time.perf_counter() - started
    assert result.returncode == 0, result.stderr
    header, *lines, shared = result.stdout.splitlines()
    assert shared.split()[:2] == ["every", "run:"] and "trainer=debug" in shared
    assert header.split() == [
        "run",
        "date",
        "experiment",
        "overrides",
        "best",
        "status",
        "time",
    ]
    first, second, third = run_ids(project)
    assert [line.split()[0] for line in lines] == [
        first,
        second,
        third,
        "search/trial-0007",
    ]
    assert " seed=1 " in lines[0] and " seed=2 report=false " in lines[1]
    assert " seed=1 optimizer.lr=0.01 " in lines[2] and "trainer=" not in lines[2]
    assert "optimizer.lr=0.3" in lines[3]  # the trial's parameters
    for line in lines:
        assert "val/acc=" in line and "finished" in line
        assert re.search(r"  0:0[01]:\d\d$", line), line  # how long it ran
    assert took < 10, took  # no framework to load: well under a second when idle


def test_show_names_a_run_by_a_unique_part_of_its_name(project):
    first = run_ids(project)[0]
    for name in (first, first[:19], f"runs/{first}"):  # the id, its start, a path
        result = runs_py(project, "show", name)
        assert result.returncode == 0, result.stderr
        assert (
            result.stdout.startswith("run:") and first in result.stdout.splitlines()[0]
        )
    text = result.stdout
    assert "command:    train.py trainer=debug" in text and "seed:       1" in text
    metrics = json.loads((project / "runs" / first / "metrics.json").read_text())
    assert "test/acc" in text and f"{metrics['test/acc']:.4f}" in text
    for name in ("report.html", "config.yaml", "record.json", "test_outputs.npz"):
        assert f"\n  {name}\n" in text
    trial = runs_py(project, "show", "trial-0007")  # a folder's name: the trial's
    assert "trial:      {'study': 'search', 'number': 7" in trial.stdout, trial.stderr


def test_diff_shows_only_what_differs(project):
    first, second, third = run_ids(project)
    result = runs_py(project, "diff", first, third)
    assert result.returncode == 0, result.stderr
    config = result.stdout.split("config:\n")[1].split("metrics:")[0]
    assert config.strip() == "optimizer.lr: 0.1 -> 0.01"
    assert "test/loss:" in result.stdout
    seeds = runs_py(project, "diff", first, second).stdout
    config = seeds.split("config:\n")[1].split("metrics:")[0].splitlines()
    assert sorted(line.split(":")[0].strip() for line in config) == ["report", "seed"]


def test_compare_prints_a_table_and_plots_the_metric_over_epochs(project, tmp_path):
    ids = run_ids(project)
    out = tmp_path / "compare.png"
    result = runs_py(
        project, "compare", *ids, "--metric", "val/loss", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    header, *rows = result.stdout.splitlines()
    assert header.split() == ["metric", "A", "B", "C"]
    loss = next(row for row in rows if row.startswith("val/loss"))
    assert len(loss.split()) == 4  # a value for each run
    assert f"C: {ids[2]}" in result.stdout and f"plot: {out}" in result.stdout
    picture = np.asarray(Image.open(out).convert("L"))
    assert picture.shape == (400, 700) and picture.std() > 10  # lines drawn, not blank
    default = runs_py(project, "compare", ids[0], ids[2])  # the monitored metric
    assert (project / "runs" / "compare_val-acc.png").is_file(), default.stderr


def test_seeds_aggregate_runs_differing_only_by_seed(project):
    for args in (["seeds"], ["list", "--group-seeds"]):
        result = runs_py(project, *args)
        assert result.returncode == 0, result.stderr
        first, second, third = run_ids(project)
        # report=false changes no result: the two seeds are one experiment
        assert result.stdout.startswith("group 1: 2 runs, seeds 1, 2\n"), result.stdout
        assert first in result.stdout and second in result.stdout
        assert third not in result.stdout  # another learning rate: its own experiment
        metrics = [
            json.loads((project / "runs" / i / "metrics.json").read_text())
            for i in (first, second)
        ]
        values = [m["test/loss"] for m in metrics]
        mean, spread = np.mean(values), np.std(values, ddof=1)
        assert f"test/loss{' ' * 16}{mean:.4f} ± {spread:.4f}  (n=2)" in result.stdout


def test_mistakes_end_in_one_line_naming_the_candidates(project, tmp_path):
    first = run_ids(project)[0]
    unknown = runs_py(project, "show", "nope")
    assert unknown.returncode == 2
    message = assert_one_documented_line(unknown.stderr, TRAIN)
    assert first in message  # the runs there are, to pick from
    several = runs_py(project, "diff", first[:4], first)
    assert several.returncode == 2
    assert "matches 3 runs" in assert_one_documented_line(several.stderr, TRAIN)
    metric = runs_py(project, "compare", first, "--metric", "val/nope")
    assert metric.returncode == 2
    assert "val/acc" in assert_one_documented_line(metric.stderr, TRAIN)
    nowhere = runs_py(project, "--runs", str(tmp_path / "runs"), "list")
    assert nowhere.returncode == 2
    assert_one_documented_line(nowhere.stderr, TRAIN)
