"""Data checks before training (check_data.py, and the same pass at the start of
train.py) on both twins: each finding triggered by a crafted image folder or CSV list;
warnings let the run go on and are kept in record.json, fatal findings end in one line
with exit code 2 and no run directory. predict.py on a folder with a corrupt and a
huge file predicts the others and lists both."""

import json
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from sklearn.datasets import load_digits

from tests.conftest import run
from tests.test_emitted_trains import BACKENDS, QUIET, checkpoint, only_run
from tests.test_image_folders import corrupt_png, huge_png

NAMES = {0: "zero", 1: "one", 2: "two"}  # sorted: one, two, zero
LAYOUT = {  # split -> class -> which of scikit-learn's digits of that class
    "train": {"zero": range(0, 40), "one": range(0, 3), "two": range(0, 40)},
    "val": {name: range(40, 41) for name in NAMES.values()},  # 3 < one batch of 8
    "test": {"zero": [0, 1, 50, 51], "one": [50, 51], "two": [50, 51]},
}
ARGS = ["data=imagefolder", "data.image_size=8", "data.batch_size=8"]
WARNINGS = [
    "the val split has 3 images, fewer than one batch (data.batch_size=8)",
    "imbalanced classes in train: two has 40 images, one 3 (over 10x); consider more"
    " images of the small classes",
    # test: one 0-1, two 2-3, zero 4-7; train: one 0-2, two 3-42, zero 43-82
    "2 test images are exact copies of training images (e.g. test[4] = train[43],"
    " test[5] = train[44]): they inflate test scores; remove them from one side",
]


def write_layout(root: Path) -> None:
    digits = load_digits()
    for split, classes in LAYOUT.items():
        for label, name in NAMES.items():
            (root / split / name).mkdir(parents=True)
            images = digits.images[digits.target == label]
            for i in classes[name]:
                pixels = np.round(images[i] * 255 / 16).astype(np.uint8)
                Image.fromarray(pixels, "L").save(root / split / name / f"{i:03d}.png")


@pytest.mark.parametrize("backend", BACKENDS)
def test_warnings_are_reported_recorded_and_the_run_goes_on(
    golden_copy, tmp_path, backend
):
    project = golden_copy(f"{backend}-lenet-digits")
    write_layout(photos := tmp_path / "photos")
    args = [*ARGS, f"data.root={photos}"]
    checked = run(["check_data.py", *args], project)
    assert checked.returncode == 0, checked.stderr
    said, *lines = checked.stdout.splitlines()  # first, where the images are held
    assert said.startswith("data: 94 images take") and "held in memory" in said
    assert lines[0] == "data=imagefolder: 1x8x8 images, 3 classes"
    assert lines[1].split() == ["class", "train", "val", "test"]
    assert [line.split() for line in lines[2:6]] == [
        ["one", "3", "1", "2"],
        ["two", "40", "1", "2"],
        ["zero", "40", "1", "4"],
        ["total", "83", "3", "8"],
    ]
    assert lines[6:] == [f"warning: {w}" for w in WARNINGS]
    assert not (project / "runs").exists()  # checking writes nothing
    trained = run(["train.py", "model=lenet", "trainer=debug", *QUIET, *args], project)
    assert trained.returncode == 0, trained.stderr
    for warning in WARNINGS:
        assert f"warning: {warning}" in trained.stderr
    checks = json.loads((only_run(project) / "record.json").read_text())["data"][
        "checks"
    ]
    assert checks["warnings"] == WARNINGS
    assert checks["counts"]["train"] == {"one": 3, "two": 40, "zero": 40}
    assert checks["duplicates"] == {
        "test": {"count": 2, "examples": [[4, 43], [5, 44]]}
    }
    # predict.py: a corrupt file and a 30000x30000 PNG among readable ones
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for path in (photos / "test" / "one").iterdir():
        (inputs / path.name).write_bytes(path.read_bytes())
    corrupt_png(broken := inputs / "broken.png")
    huge_png(huge := inputs / "huge.png")
    best = checkpoint(only_run(project), backend, "best")
    predicted = run(["predict.py", f"ckpt_path={best}", f"inputs={inputs}"], project)
    assert predicted.returncode == 0, predicted.stderr
    rows = [line.split("\t") for line in predicted.stdout.strip().splitlines()]
    assert [Path(path).name for path, _, _ in rows] == ["050.png", "051.png"]
    assert {label for _, label, _ in rows} <= set(NAMES.values())
    unreadable = predicted.stderr.strip().splitlines()
    assert len(unreadable) == 2, predicted.stderr
    assert unreadable[0].startswith(f"cannot read image {broken}: ")
    assert unreadable[1] == (
        f"cannot read image {huge}: 30000x30000 pixels, above the 100,000,000 cap"
    )
    for path in (photos / "test" / "one").iterdir():
        (inputs / path.name).unlink()
    refused = run(["predict.py", f"ckpt_path={best}", f"inputs={inputs}"], project)
    assert refused.returncode == 2 and not refused.stdout
    assert refused.stderr.strip().splitlines()[-1] == (
        f"error: inputs={inputs}: none of its 2 images is readable"
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_fatal_findings_end_in_one_line(golden_copy, tmp_path, backend):
    project = golden_copy(f"{backend}-lenet-digits")
    write_layout(photos := tmp_path / "photos")
    (photos / "train" / "three").mkdir()  # an empty class
    empty = run(["check_data.py", *ARGS, f"data.root={photos}"], project)
    assert empty.returncode == 2
    assert empty.stderr == (
        f"error: {photos / 'train' / 'three'}: empty class folder (no .bmp, .gif,"
        " .jpeg, .jpg, .png, .tif, .tiff, .webp files)\n"
    )
    rows = ["path,label,split", "train/one/000.png,one,", "train/two/000.png,two,"]
    rows.append("test/one/050.png,cow,test")  # a label outside the class list
    (listing := photos / "labels.csv").write_text("\n".join(rows) + "\n")
    csv = ["data=csv", f"data.csv={listing}", "data.image_size=8"]
    for script in ("check_data.py", "train.py"):
        refused = run([script, *csv], project)
        assert refused.returncode == 2
        assert refused.stderr == (
            f"error: {listing}: test rows have labels no train row has: cow\n"
        )
    assert not (project / "runs").exists()


def test_check_data_lists_every_unreadable_file(golden_copy, tmp_path):
    project = golden_copy("paddle-lenet-digits")  # the same code on both twins
    write_layout(photos := tmp_path / "photos")
    bad = [photos / "train" / "one" / f"bad{i:02d}.png" for i in range(22)]
    corrupt_png(bad[0])  # truncated
    for path in bad[1:]:
        path.write_text("not an image")  # text under a .png name
    for memory in ("true", "false"):  # decoded at load, or read from headers (streamed)
        args = [*ARGS, f"data.root={photos}", f"data.in_memory={memory}"]
        checked = run(["check_data.py", *args], project)
        assert checked.returncode == 2, checked.stderr
        listed = [x for x in checked.stdout.splitlines() if x.startswith("unreadable ")]
        assert [x.split(": ")[0] for x in listed] == [
            f"unreadable {p}" for p in bad[:20]
        ]
        assert checked.stdout.splitlines()[-1] == "... and 2 more"
        assert checked.stderr.startswith(f"error: {bad[0]}: cannot read this image")
        assert checked.stderr.count("\n") == 1 and "Traceback" not in checked.stderr
        assert "(21 more unreadable files: python check_data.py lists them)" in (
            checked.stderr
        )
    refused = run(["train.py", *args, *QUIET], project)  # a run names the first alone
    assert refused.returncode == 2 and "unreadable " not in refused.stdout
    assert "(21 more unreadable files" in refused.stderr


def test_fatal_findings_on_arrays_and_the_pass_is_fast(golden_package):
    # resnet18_digits: importing lenet_digits here would shadow the Paddle golden's
    # package of that name for the other tests of this process (as test_augment does)
    project = "lightning-resnet18-digits"
    checks = golden_package(project, "data.checks")
    user_error = golden_package(project, "errors").UserError
    arrays = golden_package(project, "data.digits").load(None, "")
    named = golden_package(project, "data.arrays").named_splits
    splits = named(arrays, 0.1, 0)
    started = time.perf_counter()
    found = checks.findings(splits, arrays.class_names, 64)
    assert time.perf_counter() - started < 1  # the pass every digits run makes
    assert found["warnings"] == [] and sum(found["counts"]["test"].values()) == 360
    images, labels = splits["train"]
    cases = {
        r"the val split has no images \(train 1293, val 0, test 360\): raise data.val_fraction, or add images": {
            **splits,
            "val": (images[:0], labels[:0]),
        },
        r"1 train labels are outside the 10 classes \(e.g. 10\): labels must be 0..9": {
            **splits,
            "train": (images, np.where(np.arange(len(labels)) == 5, 10, labels)),
        },
        "classes with no training images: 9; add images or remove the classes": {
            **splits,
            "train": (images[labels != 9], labels[labels != 9]),
        },
    }
    for message, crafted in cases.items():
        with pytest.raises(user_error, match=f"^{message}$"):
            checks.findings(crafted, arrays.class_names, 64)
