"""Starting from pretrained weights: local files of three kinds, head re-initialised when
the class count differs, and a clear message when torchvision's download cannot happen.
"""

import pytest
import torch
import torchvision
from omegaconf import OmegaConf
from safetensors.torch import save_file

from tests.conftest import run
from tests.http_server import closed_port_url

GOLDEN = "lightning-resnet18-digits"


@pytest.fixture
def emitted(golden_package):
    models = golden_package(GOLDEN, "models")
    pretrained = golden_package(GOLDEN, "models.pretrained")
    errors = golden_package(GOLDEN, "errors")
    return models, pretrained, errors


def imagenet_resnet18() -> dict:
    torch.manual_seed(1)
    return torchvision.models.resnet18(num_classes=1000).state_dict()


def ten_class_resnet18(models):
    cfg = OmegaConf.create({"name": "resnet18", "small_input_stem": False})
    return models.build_model(cfg, 3, 10, 224)


@pytest.mark.parametrize("kind", ["pth", "safetensors", "ckpt"])
def test_local_weights_load_and_the_head_starts_fresh(emitted, tmp_path, capsys, kind):
    models, pretrained, _ = emitted
    state = imagenet_resnet18()
    path = tmp_path / f"weights.{kind}"
    if kind == "safetensors":
        save_file(state, path)
    elif (
        kind == "ckpt"
    ):  # a checkpoint of an earlier run: the network sits under `net.`
        torch.save({"state_dict": {f"net.{k}": v for k, v in state.items()}}, path)
    else:
        torch.save(state, path)
    model = ten_class_resnet18(models)
    pretrained.load_pretrained(model, "resnet18", str(path))
    assert torch.equal(model.conv1.weight, state["conv1.weight"])
    assert torch.equal(
        model.layer4[1].bn2.running_var, state["layer4.1.bn2.running_var"]
    )
    assert model.fc.weight.shape == (10, 512)
    assert "newly initialised: fc.bias, fc.weight" in capsys.readouterr().err


def test_weights_of_another_model_are_refused(emitted, tmp_path):
    models, pretrained, errors = emitted
    torch.save(torchvision.models.mobilenet_v3_small().state_dict(), tmp_path / "m.pth")
    with pytest.raises(
        errors.UserError, match=r"no tensor in .*m.pth fits model resnet18"
    ):
        pretrained.load_pretrained(
            ten_class_resnet18(models), "resnet18", str(tmp_path / "m.pth")
        )


def test_a_checkpoint_of_another_model_names_both(emitted, tmp_path):
    models, pretrained, errors = emitted
    lenet = models.build_model(OmegaConf.create({"name": "lenet"}), 1, 10, 8)
    checkpoint = {
        "state_dict": {f"net.{k}": v for k, v in lenet.state_dict().items()},
        "hyper_parameters": {"config": {"model": {"name": "lenet"}}},
    }
    torch.save(checkpoint, tmp_path / "lenet.ckpt")
    with pytest.raises(
        errors.UserError, match=r"fits model resnet18 \(it was trained as lenet\)"
    ):
        pretrained.load_pretrained(
            ten_class_resnet18(models), "resnet18", str(tmp_path / "lenet.ckpt")
        )


def test_a_missing_or_unreadable_file_is_named(emitted, tmp_path):
    models, pretrained, errors = emitted
    with pytest.raises(
        errors.UserError, match=r"model.pretrained=.*nope.pth: no such file"
    ):
        pretrained.load_pretrained(
            ten_class_resnet18(models), "resnet18", str(tmp_path / "nope.pth")
        )
    (tmp_path / "bad.pth").write_bytes(b"not a checkpoint")
    with pytest.raises(errors.UserError, match=r"cannot read weights from .*bad.pth"):
        pretrained.load_pretrained(
            ten_class_resnet18(models), "resnet18", str(tmp_path / "bad.pth")
        )


def test_offline_pretrained_names_the_file_and_where_it_goes(golden_copy, tmp_path):
    project = golden_copy(GOLDEN)
    proxy = closed_port_url().rstrip("/")  # every connection fails, as when offline
    env = {
        "TORCH_HOME": str(tmp_path / "hub"),
        "HTTPS_PROXY": proxy,
        "HTTP_PROXY": proxy,
    }
    result = run(
        ["train.py", "model.pretrained=true", "trainer=debug"], project, env=env
    )
    assert result.returncode == 2, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert "could not download https://download.pytorch.org/models/resnet18-" in last
    assert (
        f"Copy that file to {tmp_path / 'hub' / 'hub' / 'checkpoints'}/resnet18-"
        in last
    )
    assert not (project / "runs").exists()
