"""Several datasets as one (data=mix): each epoch draws every source by its weight, in an
order fixed by (seed, epoch); labels are shared or disjoint as the config says; each
source is scored apart (val/acc/<source>) on both twins, and the record keeps the mix.
Bad forms of data.sources end in one line naming the key, exit 2, and no run directory.
"""

import json
from pathlib import Path

import numpy as np
import pytest
from omegaconf import OmegaConf
from PIL import Image
from sklearn.datasets import load_digits

from tests.conftest import run
from tests.messages import TRAIN, assert_one_documented_line
from tests.test_emitted_trains import (
    BACKENDS,
    QUIET,
    checkpoint,
    metrics_of,
)

FULL = "{}-lenet-digits"
SOURCES = "data.sources=[{name: digits, weight: 0.7}, {name: imagefolder, root: photos, weight: 0.3}]"


def write_digit_pngs(folder: Path, per_class: int = 8) -> None:
    """scikit-learn's real digits as gray PNGs, one folder per class named 0 to 9."""
    digits = load_digits()
    for label in range(10):
        (folder / str(label)).mkdir(parents=True, exist_ok=True)
        for i, image in enumerate(digits.images[digits.target == label][:per_class]):
            pixels = np.round(image * 255 / 16).astype(np.uint8)
            Image.fromarray(pixels, "L").save(folder / str(label) / f"{i}.png")


@pytest.fixture(scope="module")
def package(golden_package):
    return lambda module: golden_package(FULL.format("lightning"), module)


def test_each_source_fills_its_weights_share_of_the_epoch(package):
    order_of = package("data.mix_order").WeightedOrder
    order = order_of([1000, 3000, 50], [0.7, 0.2, 0.1], seed=0)
    drawn = np.concatenate([order.order() for order.epoch in range(4)])
    assert len(order) == 4050 and len(drawn) == 4 * 4050  # the sources' sizes together
    source = np.searchsorted([1000, 4000, 4050], drawn, side="right")
    shares = np.bincount(source, minlength=3) / len(drawn)
    assert np.allclose(shares, [0.7, 0.2, 0.1], atol=0.002), shares
    # a small source with a large weight is seen whole, several times an epoch
    epoch = order.order()
    small = epoch[epoch >= 4000]
    assert len(small) == 405 and np.bincount(small - 4000).min() == 8
    # a large one with a small weight: no image twice in one epoch
    middle = epoch[(epoch >= 1000) & (epoch < 4000)]
    assert len(np.unique(middle)) == len(middle) == 810


def test_the_order_depends_on_seed_and_epoch_alone(package):
    order_of = package("data.mix_order").WeightedOrder
    first, again = order_of([300, 100], [1, 3], 7), order_of([300, 100], [1, 3], 7)
    first.set_epoch(2)
    again.set_epoch(2)
    assert list(first) == list(again)  # a resumed epoch repeats exactly
    again.set_epoch(3)
    assert list(first) != list(again)
    assert list(first) != list(order_of([300, 100], [1, 3], 8))
    # Paddle's: drawn from numpy's global generator, re-seeded as each epoch begins
    paddles = order_of([300, 100], [1, 3], None)
    np.random.seed(5)
    one = list(paddles)
    np.random.seed(5)
    assert list(paddles) == one and sorted(set(one)) != list(range(400))


def test_label_spaces_shared_and_disjoint(package):
    label_space = package("data.mix_labels").label_space
    user_error = package("errors").UserError
    parts = [{"class_names": ["cat", "dog"]}, {"class_names": ["dog", "cat"]}]
    names, maps = label_space(["a", "b"], parts, "shared")
    assert names == ["cat", "dog"] and maps[1].tolist() == [1, 0]  # by name
    names, maps = label_space(["a", "b"], parts, "disjoint")
    assert names == ["a/cat", "a/dog", "b/dog", "b/cat"]
    assert maps[1].tolist() == [2, 3]
    parts[1] = {"class_names": ["dog", "cow"]}
    with pytest.raises(user_error) as refused:
        label_space(["a", "b"], parts, "shared")
    assert str(refused.value) == (
        "data.labels=shared needs the same class names in every source: source b has"
        " class cow, which a lacks, and lacks class cat, which a has; rename the"
        " classes to match, or set data.labels=disjoint"
    )


def test_sources_complete_with_the_mix_keys(package):
    compose = package("config.compose").compose
    args = ["data=mix", "data.root=/d", "data.image_size=16", SOURCES]
    cfg = compose(args)
    digits, folder = cfg.data.sources
    assert (digits.name, digits.weight, digits.root) == ("digits", 0.7, "/d")
    assert digits.val_fraction == 0.1 and "sources" not in digits
    assert (folder.root, folder.image_size, folder.channels) == ("photos", 16, 1)
    assert folder.test_fraction == 0.1 and folder.skip_corrupt is False
    own = SOURCES.replace("weight: 0.3", "weight: 0.3, val_fraction: 0.3")
    assert compose([*args[:3], own]).data.sources[1].val_fraction == 0.3
    # a run's saved config composes to the same sources (eval, resume)
    saved = compose([], base=OmegaConf.to_container(cfg))
    assert saved.data.sources == cfg.data.sources


BAD_SOURCES = {
    "data.sources=5": "data.sources must be a list",
    "data.sources=[]": "data.sources must be a list",
    "data.sources=[mnist]": "data.sources[0] needs a name and a weight",
    "data.sources=[{name: mnsit, weight: 1}]": "data.sources[0].name=mnsit is not a "
    "dataset to mix. Did you mean mnist?",
    "data.sources=[{name: mix, weight: 1}]": "data.sources[0].name=mix is not",
    "data.sources=[{name: digits}]": "data.sources[0].weight=None is not allowed",
    "data.sources=[{name: digits, weight: 0}]": "data.sources[0].weight=0 is not",
    "data.sources=[{name: digits, weight: lots}]": "data.sources[0].weight=lots is",
    "data.sources=[{name: digits, weight: 1}, {name: digits, weight: 1, roots: x}]": (
        "data.sources[1]: bad key or value 'roots' for a digits source"
    ),
    "data.sources=[{name: imagefolder, weight: 1, val_fraction: 2}]": (
        "data.sources[0].val_fraction=2.0 is not allowed"
    ),
    "data.labels=both": "data.labels",
    "data.split_seed=-1": "data.split_seed=-1 is not allowed: must be 0 to",
    "data.sources=[{name: imagefolder, weight: 1, split_seed: -1}]": (
        "data.sources[0].split_seed=-1 is not allowed"
    ),
    # batches and augmentation are the mix's: a source's own would be ignored
    "data.sources=[{name: imagefolder, weight: 1, augment: [{RandCrop: {}}]}]": (
        "data.sources[0].augment=[{'RandCrop': {}}]: batches and augmentation are the"
        " mix's, not a source's; set data.augment=... for the whole mix"
    ),
    "data.sources=[{name: digits, weight: 1}, {name: digits, weight: 1, mixup: 0.2}]": (
        "data.sources[1].mixup=0.2: batches and augmentation are the mix's"
    ),
    "data.sources=[{name: imagefolder, weight: 1, batch_size: 7}]": (
        "data.sources[0].batch_size=7: batches and augmentation are the mix's"
    ),
    "data.url=x.tar": "data.url=x.tar: a mix reads archives through its sources",
}


def test_bad_sources_name_the_key(package):
    compose = package("config.compose").compose
    user_error = package("errors").UserError
    for arg, expected in BAD_SOURCES.items():
        with pytest.raises(user_error) as refused:
            compose(["data=mix", arg])
        assert expected in str(refused.value) and "\n" not in str(refused.value), arg


def test_a_source_keeps_no_mix_key_and_its_errors_name_its_own_keys(package, tmp_path):
    compose = package("config.compose").compose
    mix = package("data.mix")
    user_error = package("errors").UserError
    same = "data.sources=[{name: digits, weight: 1, batch_size: 16}]"
    cfg = compose(["data=mix", "data.batch_size=16", same])  # the mix's value: kept
    assert (
        "batch_size" not in cfg.data.sources[0] and "augment" not in cfg.data.sources[0]
    )
    saved = OmegaConf.to_container(cfg)  # eval.py may change a saved mix's batch size
    assert compose(["data.batch_size=32"], base=saved).data.batch_size == 32
    # an older project's checkpoint recorded the mix's keys in each source, `auto`
    # still there after the run settled its batch: it loads, and overrides still apply
    for source in saved["data"]["sources"]:
        source |= {"batch_size": "auto", "num_workers": "auto", "augment": "none"}
    again = compose(["data.batch_size=64"], base=saved)
    assert again.data.batch_size == 64 and "batch_size" not in again.data.sources[0]
    (latin := tmp_path / "data.csv").write_bytes(
        "path,label\nà.png,a\n".encode("cp1252")
    )
    cases = {  # the source's own key by place; a key taken from the mix keeps its name
        "{name: csv, weight: 1}": "data.sources[0].csv is not set: give"
        " data.sources[0].csv=<file",
        "{name: imagefolder, root: /nonexist, weight: 1}": "data.sources[0].root="
        "/nonexist: no such folder",
        f"{{name: csv, csv: {latin}, weight: 1}}": f"{latin}, line 2: not UTF-8 text",
    }
    for source, expected in cases.items():
        cfg = compose(["data=mix", f"data.sources=[{source}]"])
        with pytest.raises(user_error) as refused:
            mix.download(None, cfg.data)
        assert str(refused.value).startswith(expected), str(refused.value)
    cfg = compose(
        ["data=mix", "data.root=/gone", "data.sources=[{name: imagefolder, weight: 1}]"]
    )
    with pytest.raises(user_error, match=r"^data\.root=/gone: no such folder"):
        mix.download(None, cfg.data)
    renamed = package("data.source_keys").renamed
    source = {"name": "csv", "csv": "data.csv", "root": "data", "skip_corrupt": False}
    said = "data.csv=data.csv: no such file; data.root=data; set data.skip_corrupt=true"
    assert renamed(said, 2, source, {"root": "data"}) == (
        "data.sources[2].csv=data.csv: no such file; data.root=data; set"
        " data.sources[2].skip_corrupt=true"
    )


def test_a_bad_source_exits_2_and_leaves_no_run(golden_copy):
    project = golden_copy(
        FULL.format("paddle")
    )  # the same code on both; paddle starts faster
    done = run(
        ["train.py", "data=mix", "data.sources=[{name: digits, weight: -1}]"], project
    )
    assert done.returncode == 2, done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert "data.sources[0].weight=-1" in line and "Traceback" not in done.stderr
    assert not (project / "runs").exists()
    write_digit_pngs(project / "photos")
    (project / "photos/9").rename(project / "photos/cat")  # classes differ: refused
    done = run(["train.py", "data=mix", SOURCES, *QUIET], project)
    assert done.returncode == 2, done.stderr
    said = "source imagefolder has class cat, which digits lacks, and lacks class 9,"
    assert said in assert_one_documented_line(done.stderr, TRAIN)
    assert not (project / "runs").exists()


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_mix_trains_scores_each_source_and_resumes_exactly(golden_copy, backend):
    project = golden_copy(FULL.format(backend))
    write_digit_pngs(project / "photos")
    labels = "shared" if backend == "lightning" else "disjoint"
    args = ["train.py", "data=mix", SOURCES, f"data.labels={labels}", "trainer=debug"]
    args += ["trainer.limit_val_batches=1.0", "trainer.limit_test_batches=1.0"]
    args += ["scheduler=none", *QUIET]  # the same rate whatever max_epochs says
    done = run([*args, "trainer.max_epochs=2", "output_dir=whole"], project)
    assert done.returncode == 0, done.stderr
    (run_dir,) = (project / "whole").iterdir()
    metrics = metrics_of(run_dir)
    for stage in ("val", "test"):
        for source in ("digits", "imagefolder"):
            assert 0 <= metrics[f"{stage}/acc/{source}"] <= 1, metrics
    record = json.loads((run_dir / "record.json").read_text())["data"]
    mix = record["mix"]
    assert mix["labels"] == labels and mix["epoch_size"] == record["train_size"]
    assert [(s["name"], s["weight"]) for s in mix["sources"]] == [
        ("digits", 0.7),
        ("imagefolder", 0.3),
    ]
    assert sum(s["val_size"] for s in mix["sources"]) == record["val_size"]
    names = record["class_names"]
    assert len(names) == (10 if labels == "shared" else 20), names
    assert labels == "shared" or names[10] == "imagefolder/0"
    saved = OmegaConf.load(run_dir / "config.yaml").data.sources
    assert saved[1].root == "photos" and saved[1].channels == 1
    if backend == "lightning":  # its sampler's set_epoch: tested above, in-process
        return
    # cut after epoch 1 and resumed: epoch 2 draws the same mix, to the last digit
    # (numpy's global generator, re-seeded as each epoch begins)
    done = run([*args, "output_dir=cut"], project)
    assert done.returncode == 0, done.stderr
    (cut,) = (project / "cut").iterdir()
    last = checkpoint(cut, backend, "last")
    done = run(["train.py", f"ckpt_path={last}", "trainer.max_epochs=2"], project)
    assert done.returncode == 0, done.stderr
    assert metrics_of(cut) == metrics


def test_on_several_processes_each_takes_its_share_of_one_order(package):
    order_of = package("data.mix_order").WeightedOrder
    whole = order_of([300, 101], [1, 3], 7)
    shards = [order_of([300, 101], [1, 3], 7, (rank, 3)) for rank in range(3)]
    for order in (whole, *shards):
        order.set_epoch(4)
    drawn = [list(shard) for shard in shards]
    assert [len(d) for d in drawn] == [len(s) for s in shards] == [134, 134, 134]
    interleaved = [place for row in zip(*drawn, strict=True) for place in row]
    assert interleaved[:401] == list(whole)  # one order, dealt out in turn
    assert interleaved[401:] == list(whole)[:1]  # padded by its start, as torch pads
    shards[0].set_epoch(5)
    assert list(shards[0]) != drawn[0]
