"""Random override sets, of every kind of key and value, thrown at an emitted project's
config (property-based, hypothesis): each set is accepted, or refused with a UserError of
one line that names the key it stopped at; never another exception."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from omegaconf import OmegaConf

from tests.messages import TRAIN, documented

GOLDEN = "paddle-resnet18-cifar10"  # a config with every key; composing needs no paddle
JUNK_KEYS = ["trainer.max_epoch", "x", "x.y.z", "model.name.deeper", "trainer.", ".a"]
JUNK_KEYS += ["model", "data", "optimizer", "scheduler", "trainer", "loggers", "seed"]
VALUES = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["true", "false", "null", "[]", "[1, 2]", "{a: 1}", "''", "-1"]),
    st.sampled_from(["${oc.env:ONEFIT_NOT_SET}", "${nope}", "${", "]", "{", "a: b"]),
    st.text(max_size=12),
)


@pytest.fixture(scope="module")
def config(golden_package):
    compose = golden_package(GOLDEN, "config.compose").compose
    user_error = golden_package(GOLDEN, "errors").UserError
    flat = golden_package(GOLDEN, "config.where_and_how").flat
    keys = sorted(flat(OmegaConf.to_container(compose([]), resolve=True))) + JUNK_KEYS
    return compose, user_error, keys


@st.composite
def overrides(draw, keys):
    pairs = draw(st.lists(st.tuples(st.sampled_from(keys), VALUES), max_size=3))
    return [f"{key}={value}" for key, value in pairs]


def test_random_overrides_are_taken_or_refused_in_one_line(config):
    compose, user_error, keys = config

    @settings(max_examples=400, deadline=None, database=None)
    @given(overrides(keys))
    def check(args):
        try:
            compose(args)
        except user_error as error:
            message = str(error)
            assert message and "\n" not in message, args
            named = {arg.partition("=")[0].split(".")[0] for arg in args}
            named = {name for name in named if name} | set(args)
            assert any(name in message for name in named), (args, message)

    check()


@pytest.mark.parametrize(
    "golden",
    [
        "paddle-lenet-digits",
        "paddle-unet-digit-canvas",
        "lightning-yolov5n-digit-canvas",
        "lightning-maskrcnn-digit-canvas",
    ],
)
def test_a_checkpoint_mode_the_wrong_way_for_its_metric_is_refused(
    golden_package, golden
):
    """Every metric a task's checkpoint may watch, with each mode: a loss is kept at its
    lowest, any other (accuracy, mIoU, mAP) at its highest; the other way is refused."""
    compose = golden_package(golden, "config.compose").compose
    user_error = golden_package(golden, "errors").UserError
    metrics = golden_package(golden, "config.metrics").MONITORED
    assert any("loss" in metric for metric in metrics) and len(metrics) >= 4
    for metric in metrics:
        better, worse = ("min", "max") if "loss" in metric else ("max", "min")
        way = "lower" if better == "min" else "higher"
        watched = [f"checkpoint.monitor={metric}", f"checkpoint.mode={better}"]
        assert compose(watched).checkpoint.mode == better
        with pytest.raises(user_error) as refused:
            compose([f"checkpoint.monitor={metric}", f"checkpoint.mode={worse}"])
        message = str(refused.value)
        assert message == (
            f"checkpoint.mode={worse} with {metric}: {metric} is better {way};"
            f" set checkpoint.mode={better}"
        )
        assert documented(message, TRAIN)


def test_whole_numbers_are_held_to_a_c_int_but_seeds_to_numpys_range(golden_package):
    """Counts above 2**31 - 1 fail deep inside torch and paddle, so they are refused;
    a seed may be anything numpy, torch and paddle take: below 2**32."""
    compose = golden_package(GOLDEN, "config.compose").compose
    user_error = golden_package(GOLDEN, "errors").UserError
    for key in ("seed", "data.split_seed"):
        assert OmegaConf.select(compose([f"{key}={2**32 - 1}"]), key) == 2**32 - 1
        with pytest.raises(user_error, match=f"{key}={2**32} is not allowed"):
            compose([f"{key}={2**32}"])
    for key in ("trainer.max_steps", "data.batch_size", "trainer.max_epochs"):
        assert OmegaConf.select(compose([f"{key}={2**31 - 1}"]), key) == 2**31 - 1
        with pytest.raises(user_error, match=f"must be at most {2**31 - 1}"):
            compose([f"{key}={2**31}"])
