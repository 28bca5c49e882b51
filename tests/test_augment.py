"""Augmentation as config, on both twins: presets and op lists keep the images' shape and
dtype and draw a random choice per image; the same seed gives the same batch;
evaluation only normalises; a run with mixup, cutmix and random erasing trains; every
bad form of the keys is refused in one line, before a run directory exists."""

import math

import numpy as np
import pytest
import yaml
from omegaconf import OmegaConf

from tests.conftest import run
from tests.messages import TRAIN, assert_documented

LIGHTNING, PADDLE = "lightning-resnet18-digits", "paddle-lenet-digits"
PRESETS = ["none", "cifar", "imagenet", "randaugment", "trivialaugment", "autoaugment"]
PADDLE_LACKS = {"randaugment", "trivialaugment", "autoaugment"}
OP_LIST = [  # the same names and arguments in torchvision and paddle
    {"RandomCrop": {"size": 32, "padding": 4}},
    {"RandomHorizontalFlip": {}},
    {"RandomRotation": {"degrees": 10}},
]
MIXED = {"augment": OP_LIST, "mixup": 0.2, "cutmix": 1.0, "random_erasing": 0.5}


def data_config(**keys) -> OmegaConf:
    return OmegaConf.create({"name": "cifar10", **MIXED, **keys})


def distinct(batch: np.ndarray) -> int:
    return len({image.tobytes() for image in batch})


@pytest.fixture(scope="module")
def torch_side(golden_package):
    return (
        golden_package(LIGHTNING, "data.augment"),
        golden_package(LIGHTNING, "data.transforms"),
        golden_package(LIGHTNING, "data.registry").DATASETS["cifar10"],
        golden_package(LIGHTNING, "errors").UserError,
    )


@pytest.fixture(scope="module")
def paddle_side(golden_package):
    return (
        golden_package(PADDLE, "data.augment"),
        golden_package(PADDLE, "data.transforms"),
        golden_package(PADDLE, "data.registry").DATASETS["cifar10"],
        golden_package(PADDLE, "errors").UserError,
    )


def copies(image, n: int = 16):
    """`n` copies of one image: whatever differs between them, the ops drew per image."""
    return image.unsqueeze(0).expand(n, *image.shape).contiguous()


@pytest.mark.parametrize("augment", [*PRESETS, OP_LIST], ids=[*PRESETS, "op-list"])
def test_lightning_ops_keep_shape_and_dtype_and_draw_per_image(torch_side, augment):
    import torch

    augment_module, *_ = torch_side
    images = copies(torch.randint(0, 256, (3, 32, 32), dtype=torch.uint8))
    out = augment_module.Augmentation(augment, 3, 32)(images)
    assert out.shape == images.shape and out.dtype == torch.uint8
    if augment == "none":
        assert distinct(out.numpy()) == 1
    else:  # a v2 op given the batch would draw once: 1 distinct image
        assert distinct(out.numpy()) > 1


def test_lightning_training_batch_is_mixed_with_soft_labels(torch_side):
    import torch

    _, transforms, info, _ = torch_side
    images = torch.randint(0, 256, (16, 3, 32, 32), dtype=torch.uint8)
    labels = torch.arange(16) % 10
    out, soft = transforms.train_transform(images, labels, info, data_config())
    assert out.shape == (16, 3, 32, 32) and out.dtype == torch.float32
    assert soft.shape == (16, 10) and soft.dtype == torch.float32
    assert torch.allclose(soft.sum(1), torch.ones(16))
    plain = data_config(augment="none", mixup=0.0, cutmix=0.0, random_erasing=0.0)
    out, same = transforms.train_transform(images, labels, info, plain)
    assert torch.equal(same, labels)
    assert torch.equal(out, transforms.normalize(images, info.mean, info.std))


def test_lightning_same_seed_same_batch(torch_side):
    import torch

    _, transforms, info, _ = torch_side
    images = torch.randint(0, 256, (16, 3, 32, 32), dtype=torch.uint8)
    labels = torch.arange(16) % 10
    batches = []
    for seed in (7, 7, 8):
        torch.manual_seed(seed)
        batches.append(transforms.train_transform(images, labels, info, data_config()))
    (a, a_labels), (b, b_labels), (c, _) = batches
    assert torch.equal(a, b) and torch.equal(a_labels, b_labels)
    assert not torch.equal(a, c)


def test_lightning_evaluation_only_normalises(golden_package, torch_side):
    import torch

    _, transforms, info, _ = torch_side
    module = golden_package(LIGHTNING, "data.module")
    data = module.ImageClassificationData(data_config(augment="cifar"), seed=0)
    images = torch.randint(0, 256, (8, 3, 32, 32), dtype=torch.uint8)
    labels = torch.arange(8)
    out, same = data.on_after_batch_transfer((images, labels), 0)  # no trainer: eval
    assert torch.equal(out, transforms.normalize(images, info.mean, info.std))
    assert torch.equal(same, labels)


@pytest.mark.parametrize("mode", ["reflect", "edge", "constant"])
def test_lightning_batched_crop_is_a_window_of_the_padded_image(golden_package, mode):
    import torch
    from torchvision.transforms.v2 import functional

    batched = golden_package(LIGHTNING, "data.batched")
    images = torch.randint(0, 256, (32, 3, 9, 9), dtype=torch.uint8)
    out = batched.random_crop(images, 3, mode, 0)
    padded = functional.pad(images, [3], fill=0, padding_mode=mode)
    offsets = set()
    for image, pad in zip(out, padded, strict=True):
        windows = [
            (dy, dx)
            for dy in range(7)
            for dx in range(7)
            if torch.equal(pad[:, dy : dy + 9, dx : dx + 9], image)
        ]
        assert windows, "not a window of the padded image"
        offsets.add(windows[0])
    assert len(offsets) > 8  # offsets drawn per image


@pytest.mark.parametrize("augment", [*PRESETS, OP_LIST], ids=[*PRESETS, "op-list"])
def test_paddle_ops_keep_shape_and_dtype_or_name_what_paddle_lacks(
    paddle_side, augment
):
    import paddle

    augment_module, _, _, user_error = paddle_side
    if str(augment) in PADDLE_LACKS:
        with pytest.raises(user_error, match="presets that run here: none, cifar"):
            augment_module.Augmentation(augment, 3, 32)
        return
    images = copies(paddle.rand([3, 32, 32]))
    out = augment_module.Augmentation(augment, 3, 32)(images)
    assert out.shape == images.shape and out.dtype == paddle.float32
    if augment == "none":
        assert distinct(out.numpy()) == 1
    else:  # a v2 op given the batch would draw once: 1 distinct image
        assert distinct(out.numpy()) > 1


def paddle_pipeline(paddle_side, **keys):
    import paddle

    _, transforms, info, _ = paddle_side
    return transforms.InputPipeline(paddle.nn.Identity(), info, data_config(**keys))


def test_paddle_training_batch_is_mixed_and_evaluation_only_normalised(
    golden_package, paddle_side
):
    import paddle

    mixing = golden_package(PADDLE, "data.mixing")
    pipeline = paddle_pipeline(paddle_side)
    images = paddle.randint(0, 256, [16, 3, 32, 32]).astype("uint8")
    labels = paddle.arange(16) % 10
    pipeline.train()
    out, weights = pipeline(images)
    assert out.shape == [16, 3, 32, 32] and out.dtype == paddle.float32
    assert weights.shape == [16, 16]
    assert np.allclose(weights.sum(1).numpy(), 1)
    loss = mixing.MixedCrossEntropy()(paddle.rand([16, 10]), weights, labels)
    assert math.isfinite(float(loss))
    correct = mixing.MixedAccuracy().compute(paddle.rand([16, 10]), weights, labels)
    assert correct.shape[0] == 16
    pipeline.eval()
    _, _, info, _ = paddle_side
    mean = np.array(info.mean).reshape(1, -1, 1, 1)
    std = np.array(info.std).reshape(1, -1, 1, 1)
    expected = (images.numpy() / 255 - mean) / std
    assert np.allclose(pipeline(images).numpy(), expected, atol=1e-5)


def test_paddle_same_seed_same_batch(golden_package, paddle_side):
    import paddle

    seed_everything = golden_package(PADDLE, "callbacks.seeds").seed_everything
    pipeline = paddle_pipeline(paddle_side)
    pipeline.train()
    images = paddle.randint(0, 256, [16, 3, 32, 32]).astype("uint8")
    batches = []
    for seed in (7, 7, 8):
        seed_everything(seed)
        out, weights = pipeline(images)
        batches.append((out.numpy(), weights.numpy()))
    (a, a_weights), (b, b_weights), (c, _) = batches
    assert np.array_equal(a, b) and np.array_equal(a_weights, b_weights)
    assert not np.array_equal(a, c)


@pytest.mark.parametrize("backend", ["lightning", "paddle"])
def test_a_run_with_mixup_cutmix_and_erasing_trains(golden_copy, backend):
    project = golden_copy(f"{backend}-lenet-digits")
    ops = "[{RandomCrop: {size: 8, padding: 1}}, {RandomRotation: {degrees: 10}}]"
    args = ["trainer=debug", "trainer.enable_progress_bar=false", f"data.augment={ops}"]
    args += ["data.mixup=0.2", "data.cutmix=1.0", "data.random_erasing=0.25"]
    result = run(["train.py", *args], project)
    assert result.returncode == 0, result.stderr
    (run_dir,) = (project / "runs").iterdir()
    metrics = OmegaConf.load(run_dir / "metrics.json")
    assert math.isfinite(metrics["train/loss"]) and 0 <= metrics["test/acc"] <= 1


# Refused while composing the config: the form of the keys, no framework needed.
BAD_FORMS = {
    "data.augment=3": "data.augment must be a preset",
    "data.augment={RandomCrop: {size: 8}}": "data.augment must be a preset",
    "data.augment=cifar10": "data.augment=cifar10 is no preset. Did you mean cifar?",
    "data.augment=[RandomCrop]": "data.augment[0] must map one op name",
    "data.augment=[{RandomCrop: {}, RandomRotation: {}}]": "data.augment[0] must map",
    "data.augment=[{RandomCrop: 8}]": "its arguments must be a mapping",
    "data.augment=[{ToTensor: {}}]": "data.augment[0] ToTensor: the ops take and give",
    "data.augment=[{Lambda: {}}]": "data.augment[0] Lambda: list the ops themselves",
    "data.mixup=-0.1": "data.mixup=-0.1 is not allowed: must be from 0 to 1",
    "data.mixup=1.5": "data.mixup=1.5 is not allowed",
    "data.cutmix=2": "data.cutmix=2.0 is not allowed",
    "data.random_erasing=-1": "data.random_erasing=-1.0 is not allowed",
}
# Refused when the backend builds the ops, before the run directory exists.
BAD_OPS = {
    "[{RandCrop: {size: 8}}]": "has no op RandCrop; closest: RandomCrop",
    "[{RandomCrop: {sise: 8}}]": "RandomCrop takes no argument 'sise'; closest: size",
    "[{RandomRotation: {degrees: abc}}]": ".RandomRotation.degrees='abc' is not allowed",
    "[{RandomRotation: {degrees: 1.0e+308}}]": "degrees=1e+308 is not allowed: must be",
    "[{RandomCrop: {size: 6}}]": ".RandomCrop.size=6 is not allowed: must be 32 or [32,",
    "[{Pad: {padding: 2}}]": "Pad turns (3, 32, 32) images into (3, 36, 36) ones",
    "[{MixUp: {}}]": "set data.mixup instead",
    "[{ToTensor: {}}]": "ToTensor: the ops take and give image tensors",
}


@pytest.mark.parametrize("backend", [LIGHTNING, PADDLE])
def test_every_bad_form_is_one_line_naming_the_key(golden_package, backend):
    compose = golden_package(backend, "config.compose").compose
    user_error = golden_package(backend, "errors").UserError
    for preset in PRESETS:  # composing checks the names; building, what paddle lacks
        assert (
            compose(["data=cifar10", f"data.augment={preset}"]).data.augment == preset
        )
    for override, words in BAD_FORMS.items():
        with pytest.raises(user_error) as refused:
            compose([override])
        assert words in str(refused.value) and "\n" not in str(refused.value), override
    augmentation = golden_package(backend, "data.augment").Augmentation
    for ops, words in BAD_OPS.items():
        with pytest.raises(user_error) as refused:
            augmentation(yaml.safe_load(ops), 3, 32)
        assert words in str(refused.value) and "\n" not in str(refused.value), ops
        assert str(refused.value).startswith("data.augment[0]")


def test_an_argument_named_otherwise_in_paddle_is_named(paddle_side):
    augment_module, _, _, user_error = paddle_side
    with pytest.raises(user_error, match="takes no argument 'p'; its arguments: prob"):
        augment_module.Augmentation([{"RandomHorizontalFlip": {"p": 0.3}}], 3, 32)


@pytest.mark.parametrize("backend", ["lightning", "paddle"])
def test_bad_augmentation_exits_2_in_one_line_with_no_run_directory(
    golden_copy, backend
):
    project = golden_copy(f"{backend}-lenet-digits")
    bads = ["data.mixup=1.5", "data.augment=[{RandomCrop: {sise: 8}}]"]
    bads += ["data.augment=[{RandomRotation: {degrees: 1e308}}]"]
    bads += ["data.augment=[{ToTensor: {}}]"]
    for bad in bads:
        result = run(["train.py", "trainer=debug", bad], project)
        assert result.returncode == 2, result.stderr
        lines = [line for line in result.stderr.splitlines() if "arning" not in line]
        assert len(lines) == 1 and lines[0].startswith("error: data."), result.stderr
        assert_documented(lines[0].removeprefix("error: "), TRAIN)
        assert "Traceback" not in result.stderr
        assert not (project / "runs").exists()
