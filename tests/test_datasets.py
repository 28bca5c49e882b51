"""The emitted dataset code: download through a real local HTTP server, checksums, offline,
corrupt files, reading, and the fixed splits. Nothing half-written is ever left behind.
"""

import gzip
import importlib
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest
from omegaconf import OmegaConf

from tests.conftest import run
from tests.formats import write_mnist
from tests.http_server import closed_port_url, serve


@pytest.fixture(scope="module")
def emitted(tmp_path_factory, rendered):
    """The emitted package of the lenet-mnist golden, imported from a copy."""
    folder = tmp_path_factory.mktemp("emitted") / "project"
    shutil.copytree(rendered("lightning-lenet-mnist"), folder)
    sys.path.insert(0, str(folder))
    yield importlib.import_module("lenet_mnist.data.registry"), importlib.import_module(
        "lenet_mnist.errors"
    )
    sys.path.remove(str(folder))


def data_cfg(root: Path, **keys):
    return OmegaConf.create(
        {"root": str(root), "url": None, "verify_checksums": True, **keys}
    )


def leftovers(root: Path) -> list[Path]:
    return [
        p for p in root.rglob("*") if p.name.endswith(".part") or ".unpack-" in str(p)
    ]


def test_mnist_downloads_from_a_mirror_and_reads(emitted, mirror, tmp_path):
    registry, _ = emitted
    info = registry.DATASETS["mnist"]
    info.source.download(info, data_cfg(tmp_path, url=mirror, verify_checksums=False))
    arrays = info.source.load(info, str(tmp_path))
    assert arrays.train_images.shape == (300, 1, 28, 28)
    assert arrays.test_images.shape == (100, 1, 28, 28)
    assert arrays.train_labels.dtype == np.int64 and set(arrays.train_labels) <= set(
        range(10)
    )
    assert arrays.class_names == [str(d) for d in range(10)]
    assert not leftovers(tmp_path)


def test_a_checksum_mismatch_keeps_nothing(emitted, mirror, tmp_path):
    registry, errors = emitted
    info = registry.DATASETS["mnist"]
    with pytest.raises(
        errors.UserError, match=r"MD5 .* expected f68b3c2d.*verify_checksums"
    ):
        info.source.download(info, data_cfg(tmp_path, url=mirror))
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_offline_names_the_file_and_where_to_put_it(emitted, tmp_path):
    registry, errors = emitted
    info = registry.DATASETS["fashion_mnist"]
    raw = tmp_path / "FashionMNIST" / "raw"
    with pytest.raises(
        errors.UserError, match=f"Put train-images-idx3-ubyte.gz in {raw}/"
    ):
        info.source.download(info, data_cfg(tmp_path, url=closed_port_url()))
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_a_missing_file_on_the_mirror_names_the_url(emitted, tmp_path):
    registry, errors = emitted
    info = registry.DATASETS["mnist"]
    (tmp_path / "empty").mkdir()
    with (
        serve(tmp_path / "empty") as url,
        pytest.raises(
            errors.UserError, match=f"{url}train-images-idx3-ubyte.gz answered HTTP 404"
        ),
    ):
        info.source.download(info, data_cfg(tmp_path / "data", url=url))


def test_files_already_present_are_used_without_the_network(emitted, tmp_path):
    registry, _ = emitted
    info = registry.DATASETS["mnist"]
    write_mnist(tmp_path / "MNIST" / "raw")
    info.source.download(info, data_cfg(tmp_path, url=closed_port_url()))
    assert info.source.load(info, str(tmp_path)).train_images.shape[0] == 300


def test_a_truncated_file_is_reported_with_the_fix(emitted, tmp_path):
    registry, errors = emitted
    info = registry.DATASETS["mnist"]
    raw = tmp_path / "MNIST" / "raw"
    write_mnist(raw)
    packed = raw / "t10k-images-idx3-ubyte.gz"
    packed.write_bytes(gzip.compress(gzip.decompress(packed.read_bytes())[:-100]))
    with pytest.raises(
        errors.UserError, match=r"t10k-images-idx3-ubyte.*not a complete idx"
    ):
        info.source.load(info, str(tmp_path))


@pytest.mark.parametrize("name, classes", [("cifar10", 10), ("cifar100", 100)])
def test_cifar_downloads_unpacks_and_reads(emitted, mirror, tmp_path, name, classes):
    registry, _ = emitted
    info = registry.DATASETS[name]
    info.source.download(info, data_cfg(tmp_path, url=mirror, verify_checksums=False))
    arrays = info.source.load(info, str(tmp_path))
    assert arrays.train_images.shape == (200, 3, 32, 32)
    assert arrays.test_images.shape == (60, 3, 32, 32)
    assert arrays.class_names[-1] == f"class_{classes - 1}"
    assert arrays.train_labels.max() < classes and not leftovers(tmp_path)


def test_a_corrupt_archive_leaves_no_half_folder(emitted, tmp_path):
    registry, errors = emitted
    info = registry.DATASETS["cifar10"]
    (tmp_path / "cifar-10-python.tar.gz").write_bytes(
        b"\x1f\x8b this is not a tar file"
    )
    with pytest.raises(errors.UserError, match=r"cifar-10-python.tar.gz is corrupt"):
        info.source.download(info, data_cfg(tmp_path))
    assert not (tmp_path / "cifar-10-batches-py").exists() and not leftovers(tmp_path)


def test_splits_are_fixed_disjoint_and_complete(emitted):
    from lenet_mnist.data.arrays import split_indices

    train, val = split_indices(1000, 0.1, seed=0)
    again_train, again_val = split_indices(1000, 0.1, seed=0)
    assert np.array_equal(train, again_train) and np.array_equal(val, again_val)
    assert len(val) == 100 and not set(train) & set(val)
    assert sorted([*train, *val]) == list(range(1000))
    assert not np.array_equal(val, split_indices(1000, 0.1, seed=1)[1])


def test_digits_hold_out_a_fixed_stratified_test_split(emitted):
    registry, _ = emitted
    info = registry.DATASETS["digits"]
    arrays = info.source.load(info, "unused")
    assert (
        arrays.train_images.shape == (1437, 1, 8, 8) and len(arrays.test_labels) == 360
    )
    assert np.bincount(arrays.test_labels).min() >= 35  # every digit, in proportion
    assert arrays.train_images.max() == 255


def test_train_py_offline_exits_2_and_leaves_no_run(golden_copy):
    project = golden_copy("lightning-lenet-mnist")
    result = run(["train.py", f"data.url={closed_port_url()}"], project)
    assert result.returncode == 2
    assert (
        result.stderr.strip().splitlines()[-1].startswith("error: could not download")
    )
    assert "Traceback" not in result.stderr
    assert not (project / "runs").exists()
    assert not [p for p in (project / "data").rglob("*") if p.is_file()]
