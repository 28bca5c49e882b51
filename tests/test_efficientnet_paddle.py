"""The Paddle twin's own EfficientNet-B0 is torchvision's: the same parameter count, and
torchvision's weights, read from a .pth or .safetensors file without torch, give the same
outputs (so do torchvision's resnet weights in paddle.vision's resnets); an emitted Paddle
project trains it from such a file."""

import json

import numpy as np
import paddle
import pytest
import torch
import torchvision
from omegaconf import OmegaConf
from safetensors.torch import save_file

from tests.conftest import run

PADDLE = "paddle-resnet18-digits"  # every emitted project holds every catalog model
LIGHTNING = "lightning-resnet18-digits"


def torchvision_model() -> torch.nn.Module:
    """A seeded torchvision efficientnet_b0, in eval mode, with BatchNorm statistics that
    are not the initial zeros and ones (so that loading them shows)."""
    torch.manual_seed(0)
    model = torchvision.models.efficientnet_b0(weights=None)
    with torch.no_grad():
        for layer in model.modules():
            if isinstance(layer, torch.nn.BatchNorm2d):
                layer.running_mean.uniform_(-0.2, 0.2)
                layer.running_var.uniform_(0.5, 1.5)
    return model.eval()


def build(models, in_channels=3, classes=1000, size=224, small=False):
    cfg = OmegaConf.create({"name": "efficientnet_b0", "small_input_stem": small})
    return models.build_model(cfg, in_channels, classes, size)


def test_torchvision_weights_give_torchvisions_outputs(
    golden_package, tmp_path, capsys
):
    reference = torchvision_model()
    torch.save(reference.state_dict(), tmp_path / "efficientnet_b0.pth")
    save_file(reference.state_dict(), tmp_path / "efficientnet_b0.safetensors")
    lightning = {f"net.{k}": v for k, v in reference.state_dict().items()}
    torch.save({"state_dict": lightning}, tmp_path / "efficientnet_b0.ckpt")
    images = np.random.default_rng(0).standard_normal((2, 3, 96, 96), np.float32)
    with torch.no_grad():
        expected = reference(torch.from_numpy(images)).numpy()
    models = golden_package(PADDLE, "models")
    pretrained = golden_package(PADDLE, "models.pretrained")
    for kind in ("pth", "safetensors", "ckpt"):  # .ckpt: the Lightning twin's layout
        network = build(models)
        pretrained.load_pretrained(
            network, "efficientnet_b0", str(tmp_path / f"efficientnet_b0.{kind}")
        )
        assert "newly initialised" not in capsys.readouterr().err  # every tensor found
        network.eval()
        got = network(paddle.to_tensor(images)).numpy()
        assert np.abs(got - expected).max() < 1e-4, kind
    trainable = sum(int(p.size) for p in network.parameters() if not p.stop_gradient)
    assert trainable == sum(p.numel() for p in reference.parameters()) == 5_288_548


def test_torchvision_resnet_weights_fit_the_paddle_resnets(
    golden_package, tmp_path, capsys
):
    """paddle.vision's ResNets have torchvision's layer names: its files load too."""
    torch.manual_seed(0)
    reference = torchvision.models.resnet18().eval()
    torch.save(reference.state_dict(), tmp_path / "resnet18.pth")
    cfg = OmegaConf.create({"name": "resnet18", "small_input_stem": False})
    network = golden_package(PADDLE, "models").build_model(cfg, 3, 1000, 224)
    golden_package(PADDLE, "models.pretrained").load_pretrained(
        network, "resnet18", str(tmp_path / "resnet18.pth")
    )
    assert "newly initialised" not in capsys.readouterr().err
    images = np.random.default_rng(0).standard_normal((1, 3, 64, 64), np.float32)
    with torch.no_grad():
        expected = reference(torch.from_numpy(images)).numpy()
    network.eval()
    assert np.abs(network(paddle.to_tensor(images)).numpy() - expected).max() < 1e-4


def test_the_twins_build_the_same_network_for_small_grayscale_images(golden_package):
    """Digits: one channel, 8 px, so the small-input stem; ten classes."""
    paddle_net = build(golden_package(PADDLE, "models"), 1, 10, 8, small=None)
    torch_net = build(golden_package(LIGHTNING, "models"), 1, 10, 8, small=None)
    assert [tuple(p.shape) for p in paddle_net.features[0][0].parameters()] == [
        tuple(p.shape) for p in torch_net.features[0][0].parameters()
    ]
    assert paddle_net.features[0][0]._stride == [1, 1]
    trainable = [p for p in paddle_net.parameters() if not p.stop_gradient]
    assert sum(int(p.size) for p in trainable) == sum(
        p.numel() for p in torch_net.parameters()
    )


def test_pretrained_true_names_torchvisions_file(golden_package):
    pretrained = golden_package(PADDLE, "models.pretrained")
    network = build(golden_package(PADDLE, "models"))
    url = torchvision.models.EfficientNet_B0_Weights.DEFAULT.url
    with pytest.raises(golden_package(PADDLE, "errors").UserError) as refused:
        pretrained.load_pretrained(network, "efficientnet_b0", True)
    assert f"download torchvision's {url} and set model.pretrained=" in str(
        refused.value
    )


def test_a_pth_holding_more_than_tensors_is_refused(golden_package, tmp_path):
    """The reader rebuilds tensors only: a pickled object cannot run code on load."""
    torch.save({"layer": torch.nn.Linear(2, 2)}, tmp_path / "module.pth")
    network = build(golden_package(PADDLE, "models"))
    with pytest.raises(
        golden_package(PADDLE, "errors").UserError,
        match=r"cannot read weights from .*module.pth: it holds torch.nn.modules",
    ):
        golden_package(PADDLE, "models.pretrained").load_pretrained(
            network, "efficientnet_b0", str(tmp_path / "module.pth")
        )


def test_an_emitted_project_trains_from_torchvision_weights(golden_copy, tmp_path):
    """Digits are 1-channel, 10-class: the stem and head start fresh, the rest loads,
    and the training steps move what was loaded."""
    state = torchvision_model().state_dict()
    torch.save(state, tmp_path / "b0.pth")
    project = golden_copy(PADDLE)
    result = run(
        [
            "train.py",
            "model=efficientnet_b0",
            f"model.pretrained={tmp_path / 'b0.pth'}",
            "trainer=debug",
            "optimizer.lr=0.001",  # small steps: the weights stay near where they loaded
            "trainer.limit_train_batches=2",
            "trainer.limit_val_batches=1",
            "trainer.limit_test_batches=1",
        ],
        project,
    )
    assert result.returncode == 0, result.stderr
    assert (
        "newly initialised: classifier.1.bias, classifier.1.weight, "
        "features.0.0.weight\n" in result.stderr
    )
    (run_dir,) = (project / "runs").iterdir()
    record = json.loads((run_dir / "record.json").read_text())
    assert record["model"]["name"] == "efficientnet_b0"
    assert np.isfinite(json.loads((run_dir / "metrics.json").read_text())["train/loss"])
    trained = paddle.load(str(run_dir / "checkpoints" / "last.pdparams"))
    key = "features.4.0.block.0.0.weight"  # a loaded conv, deep in the network
    after, before = trained[f"network.{key}"].numpy(), state[key].numpy()
    assert not np.array_equal(after, before)  # the steps changed it ...
    assert np.corrcoef(after.ravel(), before.ravel())[0, 1] > 0.99  # ... a little
