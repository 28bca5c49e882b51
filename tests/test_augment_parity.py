"""The twins check data.augment alike: for every op both have, each argument given what
an adversary would (nan, inf, 1e308, negative, zero, a string, a list of the wrong
length, a bool, null, a crop larger than the image), and for the ops that change what
the images are (ToTensor, Normalize, Lambda...), both twins' check (the Augmentation
each builds before a run starts) gives the same outcome in the same words: accepted and
run on a batch, or refused in one documented line naming data.augment[0].Op.argument.
Pixel values are 0..255 on both (the Paddle twin's images are floats in 0..1)."""

import math
import re

import numpy as np
import pytest

from tests.messages import TRAIN, assert_documented

LIGHTNING, PADDLE = "lightning-resnet18-digits", "paddle-lenet-digits"
CHANNELS, SIZE = 3, 16  # small: a thousand checks on each twin
SHARED = {  # each op both twins have: arguments that make it, and those both name alike
    "CenterCrop": ({"size": SIZE}, ["size"]),
    "ColorJitter": ({}, ["brightness", "contrast", "saturation", "hue"]),
    "Grayscale": ({"num_output_channels": CHANNELS}, ["num_output_channels"]),
    "Pad": ({"padding": 0}, ["padding", "fill", "padding_mode"]),
    "RandomAffine": (
        {"degrees": 10},
        ["degrees", "translate", "scale", "shear", "interpolation", "fill", "center"],
    ),
    "RandomCrop": (
        {"size": SIZE, "padding": 2},
        ["size", "padding", "pad_if_needed", "fill", "padding_mode"],
    ),
    "RandomErasing": ({}, ["scale", "ratio", "value", "inplace"]),
    "RandomHorizontalFlip": ({}, []),
    "RandomVerticalFlip": ({}, []),
    "RandomPerspective": ({}, ["distortion_scale", "interpolation", "fill"]),
    "RandomResizedCrop": ({"size": SIZE}, ["size", "scale", "ratio", "interpolation"]),
    "RandomRotation": (
        {"degrees": 10},
        ["degrees", "interpolation", "expand", "center", "fill"],
    ),
    "Resize": ({"size": SIZE}, ["size", "interpolation"]),
}
# p (torchvision) and prob (paddle) name the same argument: each twin refuses the
# other's name, but a value no probability can be is refused first, alike on both.
PROBABILITY = ["RandomErasing", "RandomHorizontalFlip", "RandomVerticalFlip"]
PROBABILITY += ["RandomPerspective"]
ODD = {
    "nan": math.nan,
    "inf": math.inf,
    "-inf": -math.inf,
    "1e308": 1e308,
    "-1": -1,
    "0": 0,
    "1": 1,
    "half": 0.5,
    "above-the-size": 1000,
    "string": "abc",
    "true": True,
    "null": None,
    "list-of-1": [1],
    "list-of-3": [1, 2, 3],
    "pair": [0.1, 0.2],
    "reversed-pair": [0.9, 0.1],
    "pair-with-nan": [math.nan, 1.0],
    "pair-with-inf": [0.1, math.inf],
    "whole-pair": [SIZE, SIZE],
    "too-big-pair": [SIZE + 1, SIZE + 1],
}
NOT_OPS = ["ToTensor", "PILToTensor", "ToImage", "ToPureTensor", "ToPILImage"]
NOT_OPS += ["ToDtype", "ConvertImageDtype", "Transpose", "Normalize", "Lambda"]
NOT_OPS += ["Compose", "RandomApply", "Identity", "MixUp", "CutMix", "Transform"]
NOT_OPS += ["BaseTransform"]


def cases(op: str) -> dict[str, list]:
    """data.augment lists that vary one argument of `op` at a time."""
    base, arguments = SHARED[op]
    found = {"base": [{op: base}]}
    for argument in arguments:
        for name, value in ODD.items():
            found[f"{argument}={name}"] = [{op: {**base, argument: value}}]
    for argument in ("p", "prob") if op in PROBABILITY else ():
        for name, value in ODD.items():
            if not (type(value) in (int, float) and 0 <= value <= 1):
                found[f"{argument}={name}"] = [{op: {**base, argument: value}}]
    return found


@pytest.fixture(scope="module")
def twins(golden_package):
    """Each twin's check of data.augment: ops -> 'ok' (built, and run on a batch) or
    the refusal's message."""
    torch_augment = golden_package(LIGHTNING, "data.augment")
    torch_error = golden_package(LIGHTNING, "errors").UserError
    paddle_augment = golden_package(PADDLE, "data.augment")
    paddle_error = golden_package(PADDLE, "errors").UserError
    import paddle
    import torch

    def outcome(augment, error, batch):
        def check(ops) -> str:
            try:
                augment.Augmentation(ops, CHANNELS, SIZE)(batch)
            except error as refused:
                return str(refused)
            return "ok"

        return check

    torch_batch = torch.randint(0, 256, (4, CHANNELS, SIZE, SIZE), dtype=torch.uint8)
    paddle_batch = paddle.rand([4, CHANNELS, SIZE, SIZE])
    return (
        outcome(torch_augment, torch_error, torch_batch),
        outcome(paddle_augment, paddle_error, paddle_batch),
    )


def assert_alike(twins, ops: list, case: str) -> str:
    lightning, paddle = twins
    said = lightning(ops)
    assert said == paddle(ops), (case, said, paddle(ops))
    if said != "ok":
        assert "\n" not in said and said.startswith("data.augment[0]"), (case, said)
        assert_documented(said, TRAIN)
    return said


@pytest.mark.parametrize("op", sorted(SHARED))
def test_both_twins_take_and_refuse_the_same_values_in_the_same_words(twins, op):
    for case, ops in cases(op).items():
        said = assert_alike(twins, ops, f"{op} {case}")
        if "is not allowed" in said:  # a value: named by its op and argument
            named = re.match(r"data\.augment\[0\]\.(\w+)\.(\w+)=", said)
            assert named and named.groups() == (op, case.split("=")[0]), (case, said)


def test_the_values_an_adversary_named_are_refused_alike(twins):
    """data.augment=[{RandomRotation: {degrees: 1e308}}] trained on one twin and
    crashed the other; ToTensor was taken by one and refused by the other."""
    said = assert_alike(twins, [{"RandomRotation": {"degrees": 1e308}}], "1e308")
    assert said.startswith("data.augment[0].RandomRotation.degrees=1e+308 is not")
    assert "-360 <= low <= high <= 360" in said
    said = assert_alike(twins, [{"ToTensor": {}}], "ToTensor")
    assert said.startswith("data.augment[0] ToTensor: the ops take and give image")


# What users copy from torchvision recipes: taken, and run, alike on both twins
RECIPES = {
    "brightness above 1": {"ColorJitter": {"brightness": 1.5}},
    "saturation 2": {"ColorJitter": {"saturation": 2}},
    "brightness as factors": {"ColorJitter": {"brightness": [0.8, 1.2]}},
    "hue as a range": {"ColorJitter": {"hue": [-0.1, 0.1]}},
    "any angle": {"RandomRotation": {"degrees": 360}},
    "fill per channel": {"RandomRotation": {"degrees": 10, "fill": [0, 0, 0]}},
    "affine fill per channel": {
        "RandomAffine": {"degrees": 0, "translate": [0.1, 0.1], "fill": [0, 0, 0]}
    },
    "perspective fill per channel": {"RandomPerspective": {"fill": [0, 128, 255]}},
}


@pytest.mark.parametrize("recipe", sorted(RECIPES))
def test_values_torchvision_recipes_use_are_taken_by_both_twins(twins, recipe):
    """A false refusal costs a user more than a late one: these once trained."""
    assert assert_alike(twins, [RECIPES[recipe]], recipe) == "ok"


def test_warps_run_on_gray_images_on_both_twins(golden_package):
    """paddle's RandomAffine spread a single fill over 3 channels: it failed on every
    gray image (the Paddle lenet projects'), where torchvision's ran."""
    import paddle
    import torch

    ops = [{"RandomAffine": {"degrees": 10, "translate": [0.1, 0.1], "fill": 9}}]
    ops += [{"RandomRotation": {"degrees": 10}}, {"RandomPerspective": {}}]
    gray = torch.zeros(4, 1, SIZE, SIZE, dtype=torch.uint8)
    torch_augmentation = golden_package(LIGHTNING, "data.augment").Augmentation
    paddle_augmentation = golden_package(PADDLE, "data.augment").Augmentation
    assert torch_augmentation(ops, 1, SIZE)(gray).shape == gray.shape
    out = paddle_augmentation(ops, 1, SIZE)(paddle.zeros(gray.shape))
    assert list(out.shape) == list(gray.shape)


def test_contrast_takes_no_list_on_either_twin(twins):
    """paddle's ContrastTransform compares its value with 0 before reading a list (a
    TypeError mid-run): refused alike, saying so."""
    said = assert_alike(twins, [{"ColorJitter": {"contrast": [0.5, 1.5]}}], "list")
    assert said.startswith("data.augment[0].ColorJitter.contrast=[0.5, 1.5] is not")
    assert "paddle takes no list" in said


@pytest.mark.parametrize("name", NOT_OPS)
def test_ops_that_change_what_the_images_are_are_refused_alike(twins, name):
    said = assert_alike(twins, [{name: {}}], name)
    assert said.startswith(f"data.augment[0] {name}: ")


@pytest.mark.parametrize("backend", [LIGHTNING, PADDLE])
def test_ops_that_change_what_the_images_are_are_refused_by_the_config(
    golden_package, backend
):
    """Refused while composing the config: no framework, no dataset needed."""
    compose = golden_package(backend, "config.compose").compose
    user_error = golden_package(backend, "errors").UserError
    for name in NOT_OPS:
        with pytest.raises(user_error, match=rf"^data\.augment\[0\] {name}: "):
            compose([f"data.augment=[{{{name}: {{}}}}]"])


def test_pixel_values_are_0_to_255_on_both_twins(golden_package):
    """fill and RandomErasing's value: the Paddle twin's images hold 0..1, so 255 fills
    with its white (1.0) as the Lightning twin's uint8 images get theirs (255)."""
    import paddle
    import torch

    torch_augmentation = golden_package(LIGHTNING, "data.augment").Augmentation
    paddle_augmentation = golden_package(PADDLE, "data.augment").Augmentation
    shifted = {"RandomCrop": {"size": SIZE, "padding": SIZE - 1, "fill": 255}}
    erased = {"RandomErasing": {"value": 255, "scale": [0.2, 0.2]}}  # half of them
    for op in (shifted, erased):
        black = torch.zeros(16, CHANNELS, SIZE, SIZE, dtype=torch.uint8)
        out = torch_augmentation([op], CHANNELS, SIZE)(black)
        assert set(np.unique(out.numpy())) == {0, 255}, op
        out = paddle_augmentation([op], CHANNELS, SIZE)(paddle.zeros(black.shape))
        assert set(np.unique(out.numpy())) == {0.0, 1.0}, op
