"""torchvision's segmentation models in the segmentation project (Lightning): each builds
for the data, trains (showing predicted masks in TensorBoard), and fine-tunes from a
local weights file (a COCO-trained file has 21 classes: its head starts fresh). The
Paddle twin's DeepLabV3 and LR-ASPP of its own: shapes, torchvision's parameter counts,
a step that learns, backbone weights from local files, a run from one."""

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


# The Paddle twin's own DeepLabV3 and LR-ASPP, on paddle.vision's backbones.
PADDLE = "paddle-unet-digit-canvas"
ON_BACKBONES = [
    "lraspp_mobilenet_v3_large",
    "deeplabv3_mobilenet_v3_large",
    "deeplabv3_resnet50",
]


def paddle_model(golden_package, name: str, num_classes: int = 11):
    from omegaconf import OmegaConf

    models = golden_package(PADDLE, "models")
    return models.build_model(OmegaConf.create({"name": name}), 3, num_classes, 64)


def trainable(parameters) -> int:
    return sum(p.size for p in parameters if not p.stop_gradient)


@pytest.mark.parametrize("name", ON_BACKBONES)
def test_paddle_heads_shape_size_and_a_step_that_learns(golden_package, name):
    """Scores for every pixel at the input's size; torchvision's parameter count, to
    the parameter (its 21-class build); one optimizer step lowers the loss."""
    import paddle
    import torchvision

    ours = trainable(paddle_model(golden_package, name, 21).parameters())
    theirs = torchvision.models.get_model(
        name, weights=None, weights_backbone=None, num_classes=21
    )
    assert ours == sum(p.numel() for p in theirs.parameters())

    paddle.seed(0)
    network = paddle_model(golden_package, name)
    images = paddle.rand([2, 3, 64, 64])
    masks = paddle.randint(0, 11, [2, 64, 64])
    optimizer = paddle.optimizer.Adam(1e-3, parameters=network.parameters())

    def loss():
        paddle.seed(1)  # the same dropout each time
        scores = network(images)
        assert scores.shape == [2, 11, 64, 64]
        return paddle.nn.functional.cross_entropy(scores, masks, axis=1)

    first = loss()
    first.backward()
    optimizer.step()
    assert float(loss()) < float(first)


def test_paddle_backbone_weights_load_from_a_local_file(golden_package, tmp_path):
    """A backbone's own file (as paddle.vision's ImageNet .pdparams holds it) and
    torchvision's ResNet-50 .pth load by name into the backbone; the head stays."""
    import paddle
    import torch
    import torchvision

    pretrained = golden_package(PADDLE, "models.pretrained")
    source = paddle_model(golden_package, "deeplabv3_mobilenet_v3_large").backbone
    paddle.save(source.state_dict(), str(tmp_path / "mobilenet.pdparams"))
    network = paddle_model(golden_package, "deeplabv3_mobilenet_v3_large")
    head = network.classifier[-1].weight.numpy().copy()
    stem = "conv.0.weight"  # a fresh build starts elsewhere
    assert (network.backbone.state_dict()[stem] != source.state_dict()[stem]).any()
    name, file = "deeplabv3_mobilenet_v3_large", tmp_path / "mobilenet.pdparams"
    pretrained.load_pretrained(network, name, str(file))
    for key, value in source.state_dict().items():
        assert (network.backbone.state_dict()[key].numpy() == value.numpy()).all(), key
    assert (network.classifier[-1].weight.numpy() == head).all()

    resnet = torchvision.models.resnet50()
    torch.save(resnet.state_dict(), tmp_path / "resnet50.pth")
    network = paddle_model(golden_package, "deeplabv3_resnet50")
    pretrained.load_pretrained(network, "deeplabv3_resnet50", tmp_path / "resnet50.pth")
    loaded = network.backbone.state_dict()
    expected = resnet.state_dict()
    assert (
        loaded["layer4.2.conv3.weight"].numpy()
        == expected["layer4.2.conv3.weight"].numpy()
    ).all()
    assert (
        loaded["layer3.5.bn2._variance"].numpy()
        == expected["layer3.5.bn2.running_var"].numpy()
    ).all()


def test_paddle_lraspp_trains_from_a_backbone_file(golden_copy, tmp_path):
    """train.py with model.pretrained=<the backbone's .pdparams>: every backbone
    tensor loaded, the head newly initialised, the run scored."""
    import paddle
    import paddle.vision.models as vision

    backbone = vision.mobilenet_v3_large(num_classes=-1, with_pool=False)
    weights = tmp_path / "mobilenet_v3_large.pdparams"
    paddle.save(backbone.state_dict(), str(weights))
    project = golden_copy(PADDLE)
    args = [*SMALL, LRASPP, f"model.pretrained={weights}"]
    result = run(["train.py", *args], project)
    assert result.returncode == 0, result.stderr
    loaded = int(result.stderr.split("pretrained: loaded ")[1].split()[0])
    assert loaded == len(backbone.state_dict())
    assert "newly initialised: classifier.cbr.0.weight" in result.stderr
    metrics = json.loads((latest_run(project) / "metrics.json").read_text())
    assert 0 <= metrics["test/miou"] <= 1 and metrics["train/loss"] > 0


def test_paddle_heads_refuse_gray_images_in_one_line(golden_package):
    from omegaconf import OmegaConf

    models = golden_package(PADDLE, "models")
    errors = golden_package(PADDLE, "errors")
    with pytest.raises(
        errors.UserError, match=r"takes RGB images: set data\.channels=3"
    ):
        models.build_model(OmegaConf.create({"name": "deeplabv3_resnet50"}), 1, 11, 64)
