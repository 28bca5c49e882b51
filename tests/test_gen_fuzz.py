"""Random bad input thrown at `gen validate` and `gen new`, by the hundred (hypothesis):
spec files with random YAML values in random fields, random extra keys, junk bytes and
damaged text; and random flag values. Whatever comes in, gen answers with exit 2 and
one line, `error: ...`, writes nothing, and never raises; a spec that happens to be
valid is counted apart (exit 0, not rendered: that is tested elsewhere, and slow).

In-process (onefit.cli.main), so that hundreds of examples take seconds.
"""

import contextlib
import io
import tempfile
from pathlib import Path

import yaml
from hypothesis import event, given, settings
from hypothesis import strategies as st
from onefit.catalog import CATALOG
from onefit.cli import main
from onefit.errors import GenError
from onefit.schemas.catalog import BACKENDS
from onefit.schemas.spec import Spec, Training
from onefit.spec_input import load_spec

FAST = settings(max_examples=400, deadline=None, database=None)  # no .hypothesis/

FIELDS = [name for name in Spec.model_fields if name != "train"]
FIELDS += [f"train.{name}" for name in Training.model_fields]
GOOD = {  # a valid value per field, so that one bad value stands among good ones
    "name": "shapes",
    "backend": "paddle",
    "task": "classification",
    "model": "resnet18",
    "data": "mnist",
    "features": [],
    "train.epochs": 3,
    "train.batch_size": 16,
    "train.optimizer": "sgd",
    "train.scheduler": "none",
    "train.precision": "32-true",
    "train.devices": 2,
    "train.loggers": ["csv"],
    "train.seed": 7,
}
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(-3, 3)
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(["auto", "lenet", "digits", "sgd", "csv", "", "-", "1e3"])
    | st.dates()
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=6) | st.sampled_from(FIELDS), inner, max_size=3),
    max_leaves=6,
)
keys = st.sampled_from(FIELDS) | st.text(min_size=1, max_size=10) | st.integers()


@st.composite
def spec_dicts(draw) -> dict:
    """Mostly good fields, then a few random values at random keys, known or not."""
    fields = draw(st.lists(st.sampled_from(FIELDS), unique=True, max_size=5))
    spec: dict = {}
    for field in ["model", *fields]:
        put(spec, field, GOOD[field])
    for _ in range(draw(st.integers(1, 3))):
        put(spec, draw(keys), draw(values))
    return spec


def put(spec: dict, key, value) -> None:
    if isinstance(key, str) and key.startswith("train."):
        train = spec.get("train")
        spec["train"] = train = train if isinstance(train, dict) else {}
        train[key.removeprefix("train.")] = value
    else:
        spec[key] = value


def as_yaml(spec: dict) -> bytes:
    return yaml.safe_dump(spec, allow_unicode=True, sort_keys=False).encode()


@st.composite
def damaged(draw) -> bytes:
    """A valid spec's bytes with some replaced, inserted or cut."""
    data = bytearray(as_yaml({"model": "lenet", "train": {"epochs": 3, "seed": 1}}))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        data[at : at + draw(st.integers(0, 3))] = draw(st.binary(max_size=3))
    return bytes(data)


spec_files = (
    spec_dicts().map(as_yaml)
    | st.binary(max_size=300)
    | st.text(max_size=200).map(str.encode)
    | damaged()
)


def gen(*args) -> tuple[int, str]:
    """gen's exit code and stderr; any other exception than SystemExit fails."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            main([str(arg) for arg in args])
        except SystemExit as exit:
            return exit.code, err.getvalue()
    raise AssertionError("gen returned without exiting")


def assert_refused(code: int, err: str) -> None:
    assert code == 2, err
    assert err.startswith("error: ") and err.count("\n") == 1, err
    assert err.splitlines() == [err.rstrip("\n")]  # no \r, \u2028, ... inside it
    assert "Traceback" not in err


@FAST
@given(content=spec_files)
def test_random_spec_files_are_refused_in_one_line_or_valid(content):
    with tempfile.TemporaryDirectory() as folder:
        spec, out = Path(folder, "spec.yaml"), Path(folder, "out")
        spec.write_bytes(content)
        code, err = gen("validate", spec)
        if code == 0:
            event("valid spec")
            return
        event("refused")
        assert_refused(code, err)
        code, err = gen("new", "--spec", spec, "--out", out)
        assert_refused(code, err)
        assert [p.name for p in Path(folder).iterdir()] == ["spec.yaml"]


def flag_values(names) -> st.SearchStrategy:
    """A catalog name, a near miss, or any text an argv can hold (no NUL)."""
    text = st.text(st.characters(exclude_characters="\0", exclude_categories=["Cs"]))
    return st.sampled_from(list(names)) | text | st.sampled_from(["", "-x", "--out"])


@FAST
@given(
    model=flag_values(CATALOG.models),
    backend=flag_values(BACKENDS),
    data=flag_values(CATALOG.datasets),
    name=st.none() | flag_values(["shapes", "json", "packaging", "Bad Name"]),
    features=st.lists(flag_values(["hpo"]), max_size=2),
)
def test_random_flags_are_refused_in_one_line_or_valid(
    model, backend, data, name, features
):
    flags = {"model": model, "backend": backend, "data": data, "name": name}
    with contextlib.suppress(GenError):
        load_spec(None, {**flags, "features": features})
        event("valid flags")
        return  # a good spec would render: not this test's business
    event("refused")
    with tempfile.TemporaryDirectory() as folder:
        args = ["new", "--out", Path(folder, "out")]
        for flag, value in flags.items():
            args += [f"--{flag}", value] if value is not None else []
        for feature in features:
            args += ["--with", feature]
        assert_refused(*gen(*args))
        assert list(Path(folder).iterdir()) == []
