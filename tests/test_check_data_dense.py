"""check_data.py of a segmentation or detection project (the twins share it): the boxes,
or the images showing each class, per split; what reading the COCO files clipped,
dropped or carved; warnings for classes a split lacks and splits under one batch."""

import pytest

from tests.conftest import run
from tests.test_coco import crafted, small_split, write_split

GOLDENS = {
    "detection": "lightning-yolov5n-digit-canvas",
    "segmentation": "lightning-unet-digit-canvas",
}


@pytest.fixture
def coco_folder(tmp_path):
    """train: the crafted file (a clipped box, two dropped, a crowd region, an empty
    image; classes three and seven); val: two images of seven only; test carved."""
    write_split(tmp_path, "train", crafted())
    val = small_split(2, first_id=10)
    val["categories"] = crafted()["categories"]
    for annotation in val["annotations"]:
        annotation["category_id"] = 7
    write_split(tmp_path, "val", val)
    return tmp_path


@pytest.mark.parametrize("task", sorted(GOLDENS))
def test_counts_notes_and_warnings_of_a_coco_folder(golden_copy, coco_folder, task):
    project = golden_copy(GOLDENS[task])
    args = ["data=coco", f"data.root={coco_folder}", "data.image_size=32"]
    result = run(["check_data.py", *args], project)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    classes = "2 classes" if task == "detection" else "3 classes"  # and background
    assert lines[0] == f"data=coco: 3x32x32 images, {classes}"
    # The empty image is the one carved into test; train keeps images 1 and 2.
    if task == "detection":  # boxes: image 1 has two of seven (one clipped), a crowd
        assert lines[1] == "boxes of each class, per split:"
        table = {"three": [2, 0, 0], "seven": [2, 2, 0]}
    else:  # images showing the class
        assert lines[1] == "images showing each class, per split:"
        table = {"background": [2, 2, 1], "three": [2, 0, 0], "seven": [1, 2, 0]}
    for name, counts in table.items():
        row = next(line.split() for line in lines if line.startswith(name + " "))
        assert row == [name, *map(str, counts)], (row, result.stdout)
    assert (
        "train: clipped boxes 1, dropped boxes 2, crowd regions 1, empty images 1"
        in lines
    )
    assert "carved from train: test 1" in lines
    what = "boxes" if task == "detection" else "images showing it"
    assert f"warning: classes with no {what} in val: three (no score for them)" in lines
    assert any(
        line.startswith("warning: classes with no") and " test: " in line
        for line in lines
    )
    assert (
        "warning: the val split has 2 images, fewer than one batch (data.batch_size=16)"
        in lines
    )


def test_the_bundled_canvases_have_every_class_everywhere(golden_copy):
    project = golden_copy(GOLDENS["detection"])
    result = run(["check_data.py"], project)
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stdout
    total = next(
        line.split() for line in result.stdout.splitlines() if line.startswith("total")
    )
    assert all(int(count) > 300 for count in total[1:]), total  # 1 to 3 digits a canvas


def test_a_voc_folder_is_counted_with_its_twenty_classes(golden_copy, tmp_path):
    """VOC's 20 classes; write_voc's images hold aeroplanes and bicycles only."""
    from tests.test_voc import write_voc

    folder = write_voc(tmp_path / "VOC2012", train=8, val=2)
    project = golden_copy(GOLDENS["detection"])
    args = ["data=voc", f"data.root={folder}", "data.image_size=32"]
    result = run(["check_data.py", *args], project)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "data=voc: 3x32x32 images, 20 classes"
    rows = {line.split()[0]: line.split()[1:] for line in lines[3:23]}
    assert set(rows) >= {"aeroplane", "bicycle", "person"}
    assert int(rows["aeroplane"][0]) + int(rows["bicycle"][0]) > 0
    assert rows["person"] == ["0", "0", "0"]
    assert any(
        line.startswith("warning: classes with no boxes in train: ") for line in lines
    )
