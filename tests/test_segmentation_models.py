"""torchvision's segmentation models in the segmentation project (Lightning): each builds
for the data, trains (showing predicted masks in TensorBoard), and fine-tunes from a
local weights file (a COCO-trained file has 21 classes: its head starts fresh)."""

import json
import shutil

import pytest
from tensorboard.backend.event_processing.event_accumulator import (
    EventAccumulator,
)

from tests.conftest import run
from tests.messages import TRAIN, assert_one_documented_line

GOLDEN = "lightning-unet-digit-canvas"
SMALL = ["trainer=debug", "trainer.enable_progress_bar=false", "data.image_size=32"]
LRASPP = "model=lraspp_mobilenet_v3_large"


@pytest.fixture(scope="module")
def project(tmp_path_factory, rendered):
    """One copy for the module: digit_canvas is written once, on the first run."""
    folder = tmp_path_factory.mktemp("models") / GOLDEN
    shutil.copytree(rendered(GOLDEN), folder)
    return folder


def latest_run(project):
    return max((project / "runs").iterdir(), key=lambda p: p.stat().st_mtime)


def test_a_torchvision_model_trains_and_scores(project):
    result = run(["train.py", *SMALL, LRASPP], project)
    assert result.returncode == 0, result.stderr
    metrics = json.loads((latest_run(project) / "metrics.json").read_text())
    assert 0 <= metrics["test/miou"] <= 1 and metrics["train/loss"] > 0
    events = EventAccumulator(str(latest_run(project) / "tensorboard"))
    events.Reload()
    assert events.Tags()["images"] == ["val/predictions"]
    (shown,) = events.Images("val/predictions")[:1]
    assert (shown.width, shown.height) == (4 * 2 * 32, 32)  # 4 images, each by its mask


def test_fine_tuning_from_a_local_weights_file(project, tmp_path):
    """What torchvision's COCO file holds, in shape: 21 classes, an auxiliary head."""
    import torch
    import torchvision

    coco = torchvision.models.get_model(
        "lraspp_mobilenet_v3_large", weights=None, weights_backbone=None, num_classes=21
    )
    weights = tmp_path / "lraspp_coco.pth"
    torch.save(coco.state_dict(), weights)
    args = [*SMALL, LRASPP, f"model.pretrained={weights}"]
    result = run(["train.py", *args], project)
    assert result.returncode == 0, result.stderr
    loaded = int(result.stderr.split("pretrained: loaded ")[1].split()[0])
    assert loaded == len(coco.state_dict()) - 4  # all but the two 21-class heads
    assert "newly initialised: classifier.high_classifier.bias" in result.stderr


@pytest.mark.parametrize(
    "args, expected",
    [
        ([LRASPP, "data.channels=1"], "takes RGB images: set data.channels=3"),
        (["model.name=deeplab"], "unknown model.name 'deeplab'"),
    ],
)
def test_model_mistakes_end_in_one_line(project, args, expected):
    before = set((project / "runs").iterdir()) if (project / "runs").exists() else set()
    result = run(["train.py", *SMALL, *args], project)
    assert result.returncode == 2, result.stderr
    assert expected in assert_one_documented_line(result.stderr, TRAIN)
    after = set((project / "runs").iterdir()) if (project / "runs").exists() else set()
    assert after == before
