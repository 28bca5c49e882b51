"""A model that cannot take the data (a name the project does not build, an image size
its network cannot halve, gray images for an RGB network) is refused from the config
alone, before any data is read or downloaded: the archive by URL is never asked for,
and neither the data folder nor a run directory is made."""

import hashlib

import pytest

from tests.conftest import run
from tests.http_server import Faults, serve_faulty
from tests.messages import TRAIN, assert_one_documented_line

QUIET = ["trainer=debug", "trainer.enable_progress_bar=false"]
# (golden, the data from a URL, the mistake, what the one line says): each kind of
# check on each task, spread over the twins
MISTAKES = [
    (
        "lightning-unet-digit-canvas",
        "coco",
        ["data.image_size=60"],
        "halves it 3 times",
    ),
    ("paddle-yolov5n-digit-canvas", "coco", ["data.image_size=48"], "coarsest grid"),
    (
        "paddle-unet-digit-canvas",
        "coco",
        ["model.name=deeplabv3_resnet50", "data.channels=1"],
        "takes RGB images: set data.channels=3",
    ),
    (
        "lightning-yolov5n-digit-canvas",
        "coco",
        ["model.name=fasterrcnn_resnet50_fpn", "data.channels=1"],
        "takes RGB images: set data.channels=3",
    ),
    (
        "lightning-maskrcnn-digit-canvas",
        "coco",
        ["model.name=maskrcnn_resnet101_fpn"],
        "unknown model.name 'maskrcnn_resnet101_fpn'",
    ),
    ("lightning-lenet-digits", "imagefolder", ["model.name=resnet19"], "resnet19"),
    ("paddle-lenet-digits", "imagefolder", ["model.name=resnet19"], "resnet19"),
]


@pytest.mark.parametrize("golden, data, mistake, expected", MISTAKES)
def test_a_model_mistake_is_said_before_any_download(
    golden_copy, tmp_path, golden, data, mistake, expected
):
    served = tmp_path / "served"
    served.mkdir()
    (served / "mine.tar.gz").write_bytes(b"never fetched")
    sha256 = hashlib.sha256(b"never fetched").hexdigest()
    project = golden_copy(golden)
    root = tmp_path / "downloads"
    faults = Faults()  # counts what the server is asked for
    with serve_faulty(served, faults) as url:
        source = [f"data={data}", f"data.url={url}mine.tar.gz", f"data.sha256={sha256}"]
        args = [*QUIET, *source, f"data.root={root}", *mistake]
        result = run(["train.py", *args], project)
    assert result.returncode == 2, result.stderr
    assert expected in assert_one_documented_line(result.stderr, TRAIN)
    assert faults.requests == [], faults.requests
    assert not root.exists() and not (project / "runs").exists()
