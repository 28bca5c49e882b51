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


@pytest.fixture(autouse=True)
def never_the_official_hosts(monkeypatch):
    """Only the local mirror: a networked machine must not reach the real hosts."""
    monkeypatch.setenv("DATA_MIRRORS_ONLY", "1")
    monkeypatch.delenv("DATA_MIRRORS", raising=False)


def data_cfg(root: Path, mirror: str | None = None, **keys):
    defaults = {"name": "mnist", "url": None, "verify_checksums": True}
    defaults["download_timeout"] = 5
    mirrors = [mirror] if mirror else []
    return OmegaConf.create({"root": str(root), "mirrors": mirrors, **defaults, **keys})


def leftovers(root: Path) -> list[Path]:
    return [
        p for p in root.rglob("*") if p.name.endswith(".part") or ".unpack-" in str(p)
    ]


def test_mnist_downloads_from_a_mirror_and_reads(emitted, mirror, tmp_path):
    registry, _ = emitted
    info = registry.DATASETS["mnist"]
    info.source.download(info, data_cfg(tmp_path, mirror, verify_checksums=False))
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
        errors.UserError,  # the server answered, with another file: not "Offline?"
        match=r"every copy differs .*\(corrupt: MD5 .*, expected f68b3c2d.*\)\. Is the",
    ):
        info.source.download(info, data_cfg(tmp_path, mirror))
    assert not list(tmp_path.iterdir())  # MNIST/raw/ was made for this: gone again


def test_a_file_placed_by_hand_is_verified_before_it_is_read(emitted, tmp_path):
    registry, errors = emitted
    info = registry.DATASETS["mnist"]
    write_mnist(tmp_path / "MNIST" / "raw")  # not the official bytes
    with pytest.raises(
        errors.UserError,
        match=r"train-images-idx3-ubyte.gz is not the expected file \(MD5 .*, expected"
        r" f68b3c2d.*\): delete it to download it again, or set data.verify_checksums",
    ):
        info.source.download(info, data_cfg(tmp_path, closed_port_url()))
    info.source.download(info, data_cfg(tmp_path, verify_checksums=False))


def test_data_url_is_an_archive_not_a_mirror(emitted, mirror, tmp_path):
    registry, errors = emitted
    info = registry.DATASETS["cifar10"]
    with pytest.raises(
        errors.UserError, match=r"give a mirror as data.mirrors=\[URL\]"
    ):
        info.source.download(info, data_cfg(tmp_path, url=mirror, name="cifar10"))


def test_offline_names_the_file_and_where_to_put_it(emitted, tmp_path):
    registry, errors = emitted
    info = registry.DATASETS["fashion_mnist"]
    raw = tmp_path / "FashionMNIST" / "raw"
    files = "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images"
    with pytest.raises(errors.UserError, match=f"Put {files}.* in {raw}/"):
        info.source.download(info, data_cfg(tmp_path, closed_port_url()))
    assert not list(tmp_path.iterdir())


def test_a_missing_file_on_the_mirror_names_the_url(emitted, tmp_path):
    registry, errors = emitted
    info = registry.DATASETS["mnist"]
    (tmp_path / "empty").mkdir()
    with (
        serve(tmp_path / "empty") as url,
        pytest.raises(
            errors.UserError, match=f"{url}train-images-idx3-ubyte.gz \\(HTTP 404 "
        ),
    ):
        info.source.download(info, data_cfg(tmp_path / "data", url))


def test_files_already_present_are_used_without_the_network(emitted, tmp_path):
    registry, _ = emitted
    info = registry.DATASETS["mnist"]
    write_mnist(tmp_path / "MNIST" / "raw")
    info.source.download(
        info, data_cfg(tmp_path, closed_port_url(), verify_checksums=False)
    )
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
    info.source.download(info, data_cfg(tmp_path, mirror, verify_checksums=False))
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
        info.source.download(info, data_cfg(tmp_path, verify_checksums=False))
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
