"""The report of a run (report.html and report/*.png), written at the end of each run
of both twins: every picture decodes and shows something, the page holds them all and
reaches for nothing outside itself, `report: false` writes none, `runs.py report`
writes it again in well under 2 s; headless Chromium shows the page with no console
error; a segmentation run's report, and the precision-recall matching of detection's.
A detector's report (YOLOv5 on both twins, Mask R-CNN) is checked on the runs
tests/test_detection.py and test_tv_detection.py train (assert_boxes_reported)."""

import base64
import os
import re
import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.conftest import run
from tests.goldens import ROOT

SETUP_CHROMIUM = ROOT / "tests" / "browser" / "setup_chromium.sh"
CLASSIFICATION = {
    "losses.png",
    "metrics.png",
    "learning_rate.png",
    "confusion.png",
    "class_accuracy.png",
    "answers.png",
}
# One dense run, for CI's time: the segmentation twin on Paddle (the detectors' reports:
# assert_boxes_reported, on the runs their own modules train; the PR matching below).
DENSE = {"paddle-unet-digit-canvas": {"class_iou.png", "answers.png"}}
TINY = [  # a run as short as runs go: one batch of each split, small canvases
    "trainer=debug",
    "trainer.enable_progress_bar=false",
    "trainer.limit_train_batches=1",
    "trainer.limit_val_batches=1",
    "trainer.limit_test_batches=1",
    "data.image_size=32",
    "data.batch_size=8",
]


DETECTION = {
    "losses.png",
    "metrics.png",
    "learning_rate.png",
    "precision_recall.png",
    "answers.png",
}


def reported_runs(project: Path) -> list[Path]:
    return sorted(p.parent for p in (project / "runs").glob("*/report.html"))


def assert_shows_something(png: bytes) -> None:
    """A PNG that decodes, and is not one flat colour."""
    picture = np.asarray(Image.open(BytesIO(png)).convert("RGB")).astype(np.uint32)
    assert picture.shape[0] > 20 and picture.shape[1] > 20
    # colours counted as one integer each (np.unique over rows of three is slow)
    colours = picture[..., 0] << 16 | picture[..., 1] << 8 | picture[..., 2]
    assert picture.std() > 5 and len(np.unique(colours)) > 8


def assert_complete_report(run_dir: Path, pictures: set[str]) -> None:
    written = {p.name for p in (run_dir / "report").glob("*.png")}
    assert written == pictures
    page = (run_dir / "report.html").read_text()
    inlined = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    files = [(run_dir / "report" / name).read_bytes() for name in sorted(pictures)]
    assert sorted(map(base64.b64decode, inlined)) == sorted(files)  # the same pictures
    for content in files:
        assert_shows_something(content)
    assert not re.search(r'(src|href)="(https?:)?//', page)  # nothing from the network
    assert "val/acc" in page or "val/" in page  # the config and metrics are there


def pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(BytesIO(png)).convert("RGB"))


def assert_boxes_reported(run_dir: Path, boxes, browser: bool = True) -> None:
    """A detector's run (`boxes`: the project's reporting.boxes): a complete report
    whose precision-recall chart is drawn from this run's test boxes (with the curves:
    not the chart of no box found), whose test images show the boxes found (scored
    boxes.SHOWN or more) on exactly the images that have some (instances: and tint
    the masks of those objects, on those images only), and (`browser`) which Chromium opens with nothing on
    the console (seconds each: the twins' pages are one template)."""
    assert_complete_report(run_dir, DETECTION)
    with np.load(run_dir / "test_outputs.npz") as saved:
        outputs = {name: saved[name] for name in saved.files}
    names = [str(name) for name in outputs["class_names"]]
    found = outputs["found_boxes"].reshape(-1, 7)
    truth = outputs["truth_boxes"].reshape(-1, 6)
    assert len(truth) and len(outputs["images"])
    chart = pixels((run_dir / "report" / "precision_recall.png").read_bytes())
    assert np.array_equal(chart, pixels(boxes.pr_chart(found, truth, names)))
    no_curve = pixels(boxes.pr_chart(found[:0], truth, names))
    assert (chart != no_curve).any(axis=2).sum() > 100 or not len(found)
    grid = pixels((run_dir / "report" / "answers.png").read_bytes())
    assert np.array_equal(grid, np.asarray(boxes.box_pictures(outputs, names)))
    plain = np.asarray(boxes.box_pictures(outputs | {"found_boxes": found[:0]}, names))
    shown = found[found[:, 5] >= boxes.SHOWN, 0]  # as predict.py: the curves take all
    size, columns = boxes.SIZE, grid.shape[1] // boxes.SIZE
    tiles = [  # each kept image's place in the grid
        np.s_[row * size : (row + 1) * size, column * size : (column + 1) * size]
        for row, column in (divmod(i, columns) for i in range(len(outputs["images"])))
    ]
    for index, tile in enumerate(tiles):
        drawn = (grid[tile] != plain[tile]).any()
        assert drawn == (index in shown), index  # boxes where some were found
    if "objects" in outputs:  # instances: each object shown is tinted, nothing else
        objects = outputs["objects"]
        assert objects.shape == outputs["images"].shape[:3]
        assert objects.max(initial=0) <= len(names)
        assert all(objects[i].any() <= (i in shown) for i in range(len(objects)))
        untinted = outputs | {"objects": np.zeros_like(objects)}
        bare = np.asarray(boxes.box_pictures(untinted, names))
        for index, tile in enumerate(tiles):
            assert (grid[tile] != bare[tile]).any() == objects[index].any(), index
    if browser:
        shown_in_chromium(run_dir / "report.html")


def test_each_run_writes_its_report(trained_runs):
    first, second, third = sorted((trained_runs / "runs").glob("20*"))
    assert reported_runs(trained_runs) == [first, third]  # the second: report=false
    assert not (second / "test_outputs.npz").exists()
    for run_dir in (first, third):
        assert_complete_report(run_dir, CLASSIFICATION)
    outputs = np.load(first / "test_outputs.npz")
    assert len(outputs["labels"]) == 64  # trainer=debug: 2 test batches of 32
    right = int((outputs["labels"] == outputs["predicted"]).sum())
    assert len(outputs["right_images"]) == min(8, right)  # up to 8 of each
    assert len(outputs["wrong_images"]) == min(8, 64 - right)


def test_runs_py_report_writes_it_again_quickly(trained_runs):
    second = sorted((trained_runs / "runs").glob("20*"))[1]  # had none
    code = (
        "import sys, time; sys.modules['torch'] = sys.modules['paddle'] = None;"
        f"from {trained_runs.name.split('-', 1)[1].replace('-', '_')}.reporting.report"
        " import write_report; started = time.perf_counter();"
        f"write_report({str(second)!r}); print(time.perf_counter() - started)"
    )
    result = run(["-c", code], trained_runs)
    assert result.returncode == 0, result.stderr
    took = float(result.stdout)
    assert took < 4, took  # < 2 s on an idle machine: it runs after every training
    # The test outputs went with report=false: the curves only.
    assert_complete_report(second, {"losses.png", "metrics.png", "learning_rate.png"})
    again = run(["runs.py", "report", second.name[:19]], trained_runs)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip().endswith(f"{second.name}/report.html")


@pytest.mark.parametrize("name", sorted(DENSE))
def test_a_dense_run_reports_its_answers(name, golden_copy):
    project = golden_copy(name)
    result = run(["train.py", *TINY], project)
    assert result.returncode == 0, result.stderr[-3000:]
    (run_dir,) = reported_runs(project)
    assert_complete_report(
        run_dir, {"losses.png", "metrics.png", "learning_rate.png"} | DENSE[name]
    )
    shown_in_chromium(run_dir / "report.html")


def chromium() -> str:
    """The chromium command, set up by tests/browser/setup_chromium.sh when missing."""
    if shutil.which("chromium") is None:
        if os.geteuid() != 0 or shutil.which("apt-get") is None:
            pytest.skip(
                "chromium is missing and apt-get (as root) is not there to install it"
            )
        setup = subprocess.run(
            ["sh", str(SETUP_CHROMIUM)], capture_output=True, text=True
        )
        if setup.returncode != 0:
            pytest.skip(
                f"{SETUP_CHROMIUM.name} could not install chromium: {setup.stderr[-300:]}"
            )
    return shutil.which("chromium")


def shown_in_chromium(page: Path) -> None:
    """Headless Chromium opens the page offline: a screenshot that is not blank, and
    nothing on the console (the page logs any picture that did not load)."""
    shot = page.parent / "screenshot.png"
    result = subprocess.run(
        [
            chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--enable-logging=stderr",
            "--v=0",
            f"--screenshot={shot}",
            "--window-size=1100,2000",
            "--hide-scrollbars",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
    assert not console, console
    assert_shows_something(shot.read_bytes())
    shot.unlink()


def test_chromium_shows_the_report(trained_runs):
    first = sorted((trained_runs / "runs").glob("20*"))[0]
    shown_in_chromium(first / "report.html")
    if "paddle" in trained_runs.name:
        return  # the same page: the check of the check runs once
    broken = first / "broken.html"  # a picture that cannot load is caught
    page = (first / "report.html").read_text()
    broken.write_text(
        page.replace("data:image/png;base64,", "data:image/png;base64,AAAA", 1)
    )
    with pytest.raises(AssertionError, match="picture did not load"):
        shown_in_chromium(broken)
    broken.unlink()


def test_precision_recall_matches_each_true_box_once(golden_package):
    """boxes.py's curve on hand-placed boxes: a box counts as found where it overlaps
    a true box of its class by IoU 0.5 or more, in one image, each true box once."""
    boxes = golden_package("lightning-yolov5n-digit-canvas", "reporting.boxes")
    truth = np.array(  # image, x1, y1, x2, y2, class
        [
            [0, 0.1, 0.1, 0.3, 0.3, 2],
            [0, 0.5, 0.5, 0.7, 0.7, 2],
            [1, 0.1, 0.1, 0.3, 0.3, 2],
        ]
    )
    found = np.array(  # image, x1, y1, x2, y2, score, class
        [
            [0, 0.1, 0.1, 0.3, 0.3, 0.9, 2],  # right
            [0, 0.1, 0.1, 0.3, 0.31, 0.8, 2],  # the same true box again: wrong
            [1, 0.5, 0.5, 0.7, 0.7, 0.7, 2],  # another image's box: wrong
            [1, 0.11, 0.1, 0.3, 0.3, 0.6, 2],  # right
            [1, 0.1, 0.1, 0.3, 0.3, 0.5, 3],  # another class: not class 2's
        ]
    )
    precision, recall = boxes.precision_recall(found, truth, 2)
    assert np.allclose(precision, [1, 1 / 2, 1 / 3, 2 / 4])
    assert np.allclose(recall, [1 / 3, 1 / 3, 1 / 3, 2 / 3])
    assert_shows_something(boxes.pr_chart(found, truth, [str(i) for i in range(10)]))
