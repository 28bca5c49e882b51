"""Your own images, no code (data=imagefolder, data=csv), on both twins: real image files
in every format and mode PIL writes (scikit-learn's digits as PNGs, RGBA, 16-bit,
palette, an EXIF-rotated JPEG, BMP, WebP, GIF) are decoded, split per class by a seed,
trained on, and named by their folders in the record, the checkpoint and predict.py's
output. Each bad input (a corrupt or huge image, a folder or CSV of the wrong shape)
ends in one line naming the file and the fix, exit code 2, and no run directory."""

import hashlib
import json
import re
import struct
import tarfile
import zlib
from pathlib import Path

import numpy as np
import pytest
from omegaconf import OmegaConf
from PIL import Image
from sklearn.datasets import load_digits

from tests.conftest import run
from tests.http_server import serve
from tests.test_emitted_trains import BACKENDS, QUIET, checkpoint, only_run

SPEC = "lightning-resnet18-imagefolder"
NAMES = {0: "zero", 1: "one", 2: "two"}  # class folder names: not the label numbers
TINY_RUN = [
    "model=lenet",
    "data=imagefolder",
    "scheduler=none",
    "trainer=debug",
    *QUIET,
]
ORIENTATION = 0x0112  # the EXIF tag cameras set instead of rotating the pixels


def write_digits(folder: Path, per_class: int = 40) -> None:
    """scikit-learn's real 8x8 digits 0, 1 and 2 as gray PNGs, a folder per class."""
    digits = load_digits()
    for label, name in NAMES.items():
        (folder / name).mkdir(parents=True, exist_ok=True)
        images = digits.images[digits.target == label][:per_class]
        for i, image in enumerate(images):
            pixels = np.round(image * 255 / 16).astype(np.uint8)
            Image.fromarray(pixels, "L").save(folder / name / f"{i:03d}.png")


def rotated_jpeg(path: Path) -> None:
    """40 wide, 20 high: left half black, right half white, stored with EXIF orientation
    6 (the camera was turned: shown rotated 90 degrees clockwise, left half on top)."""
    pixels = np.zeros((20, 40, 3), np.uint8)
    pixels[:, 20:] = 255
    exif = Image.Exif()
    exif[ORIENTATION] = 6
    Image.fromarray(pixels).save(path, exif=exif.tobytes(), quality=95)


def write_mixed(folder: Path) -> dict[str, Path]:
    """One file of each kind, all beside the digits of class two."""
    rng = np.random.default_rng(0)
    (folder / "two").mkdir(parents=True, exist_ok=True)
    colour = rng.integers(0, 255, (30, 20, 3), dtype=np.uint8)
    alpha = np.full((30, 20, 1), 128, np.uint8)
    Image.fromarray(np.concatenate([colour, alpha], 2), "RGBA").save(
        f := folder / "two" / "rgba.png"
    )
    files = {"rgba": f}
    sixteen = Image.fromarray(np.full((12, 12), 30000, np.uint16))  # mode I;16
    sixteen.save(f := folder / "two" / "sixteen.png")
    files["sixteen"] = f
    palette = Image.fromarray(colour).convert("P", palette=Image.Palette.ADAPTIVE)
    palette.info["transparency"] = 0
    palette.save(f := folder / "two" / "palette.png", transparency=0)
    files["palette"] = f
    rotated_jpeg(f := folder / "two" / "rotated.jpg")
    files["exif"] = f
    for suffix in ("bmp", "webp", "gif"):
        Image.fromarray(colour).save(f := folder / "two" / f"photo.{suffix}")
        files[suffix] = f
    return files


def corrupt_png(path: Path) -> None:
    """A PNG cut short, as a copy that stopped half way leaves it."""
    full = path.with_suffix(".tmp.png")
    Image.fromarray(np.full((64, 64), 7, np.uint8)).save(full)
    path.write_bytes(full.read_bytes()[:60])
    full.unlink()


def huge_png(path: Path, side: int = 30_000) -> None:
    """A PNG whose header says side x side pixels: decoding it would take gigabytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\0" * 1000)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", idat)
        + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def emitted(rendered):
    """The emitted data package of the imagefolder golden, imported as modules."""
    import importlib
    import sys

    folder = str(rendered(SPEC))
    sys.path.insert(0, folder)
    package = "resnet18_imagefolder.data"
    yield {
        name: importlib.import_module(f"{package}.{name}")
        for name in (
            "decode",
            "folders",
            "csv_list",
            "listing",
            "imagenet",
            "image_stats",
        )
    }, importlib.import_module("resnet18_imagefolder.errors").UserError
    sys.path.remove(folder)


def data_cfg(**keys):
    base = {
        "root": "",
        "url": None,
        "csv": None,
        "val_fraction": 0.2,
        "test_fraction": 0.2,
        "split_seed": 0,
        "channels": 1,
        "image_size": 8,
        "skip_corrupt": False,
        "in_memory": "auto",
        "decode": "cpu",
    }
    return OmegaConf.create({**base, **keys})


def test_every_format_and_mode_decodes_upright_at_the_asked_size(emitted, tmp_path):
    modules, _ = emitted
    read_image = modules["decode"].read_image
    files = write_mixed(tmp_path)
    for kind, path in files.items():
        for channels in (1, 3):
            image = read_image(path, channels, 16)
            assert image.shape == (channels, 16, 16) and image.dtype == np.uint8, kind
    # 16-bit values are scaled (30000/257 = 116.7), not clipped to white as PIL would
    assert np.all(np.abs(read_image(files["sixteen"], 1, 12).astype(int) - 117) <= 1)
    upright = read_image(files["exif"], 1, 16)[0].astype(int)
    # rotated clockwise: the black left half is now the top, white at the bottom
    assert upright[:6].mean() < 30 and upright[-6:].mean() > 225
    assert abs(upright[:, :6].mean() - upright[:, -6:].mean()) < 30


def test_a_huge_image_is_refused_from_its_header(emitted, tmp_path):
    modules, _ = emitted
    huge_png(path := tmp_path / "huge.png")
    with pytest.raises(modules["decode"].BadImage, match="30000x30000 pixels, above"):
        modules["decode"].read_image(path, 3, 32)


def test_missing_splits_are_carved_per_class_by_the_seed(emitted, tmp_path):
    modules, _ = emitted
    write_digits(tmp_path / "all", per_class=40)
    listed = modules["folders"].class_files(tmp_path / "all")
    arrays = modules["listing"].load_listed(listed, "here", data_cfg())
    assert arrays.class_names == ["one", "two", "zero"]
    # 40 per class: 8 to test, then 6 of the 32 left to validation, from each class
    for labels, each in ((arrays.test_labels, 8), (arrays.val_labels, 6)):
        assert np.bincount(labels).tolist() == [each] * 3
    assert np.bincount(arrays.train_labels).tolist() == [26] * 3
    assert arrays.train_images.shape == (78, 1, 8, 8)
    assert "stratified" in arrays.notes["splits"]["val"]
    again = modules["listing"].load_listed(
        modules["folders"].class_files(tmp_path / "all"), "here", data_cfg()
    )
    assert np.array_equal(again.test_images, arrays.test_images)
    other = modules["listing"].load_listed(
        modules["folders"].class_files(tmp_path / "all"), "here", data_cfg(split_seed=1)
    )
    assert not np.array_equal(other.test_images, arrays.test_images)
    # given splits are used as they are; only the missing test split is carved
    for split in ("train", "val"):
        write_digits(tmp_path / "split" / split, per_class=10)
    listed = modules["folders"].class_files(tmp_path / "split")
    arrays = modules["listing"].load_listed(listed, "here", data_cfg())
    assert (len(arrays.train_labels), len(arrays.val_labels)) == (24, 30)


def test_bad_folders_end_in_one_line_naming_the_folder(emitted, tmp_path):
    modules, user_error = emitted
    class_files = modules["folders"].class_files
    write_digits(good := tmp_path / "good", per_class=2)
    (empty := tmp_path / "empty").mkdir()
    (good / "three").mkdir()
    cases = {
        tmp_path / "nowhere": "no such folder",
        empty: "holds no class folders",
        good: "three: empty class folder",
    }
    (one := tmp_path / "one" / "cat").mkdir(parents=True)
    Image.new("L", (4, 4)).save(one / "a.png")
    cases[tmp_path / "one"] = r"only one class \(cat\)"
    (tmp_path / "nosplit" / "val" / "cat").mkdir(parents=True)
    cases[tmp_path / "nosplit"] = "has val/ but no train/"
    write_digits(tmp_path / "extra" / "train", per_class=2)
    (tmp_path / "extra" / "test" / "dog").mkdir(parents=True)
    cases[tmp_path / "extra"] = "class 'dog' has no folder in train/"
    for root, message in cases.items():
        with pytest.raises(user_error, match=message) as error:
            class_files(root)
        assert "\n" not in str(error.value)


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "is empty: it needs a header row path,label"),
        ("path,split\na.png,train\n", "line 1: no 'label' column"),
        ("path,label\n", "no training rows"),
        (
            "path,label,split\na.png,cat,tst\n",
            "line 2: split 'tst' is not train, val or test. Did you mean test?",
        ),
        ("path,label\na.png,cat\ngone.png,dog\n", "line 3: no such image"),
        ("path,label\na.png,cat,extra\n", "line 2: 3 cells, the header has 2"),
        ("path,label\na.png,cat\na.png,cat\n", "only one label"),
        (
            "path,label,split\na.png,cat,\na.png,dog,\na.png,cow,test\n",
            "test rows have labels no train row has: cow",
        ),
    ],
)
def test_bad_csvs_name_the_file_and_line(emitted, tmp_path, text, message):
    modules, user_error = emitted
    Image.new("L", (4, 4)).save(tmp_path / "a.png")
    (path := tmp_path / "list.csv").write_text(text)
    with pytest.raises(user_error, match=message) as error:
        modules["csv_list"].listed_files(path)
    assert str(path) in str(error.value) and "\n" not in str(error.value)


TABLE = "path,label\nà/a.png,cat\nb.png,dog\n"  # an accented folder name, as Excel writes it


@pytest.mark.parametrize(
    "data, message",
    [
        (TABLE.encode("cp1252"), r", line 2: not UTF-8 text \(byte 0xe0\)"),
        (TABLE.replace(",", "\t").encode("utf-16"), ": UTF-16 text"),
        (TABLE.encode("utf-16-le"), ": UTF-16 text"),  # no byte-order mark
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", r", line 1: not UTF-8 text"),
        (b"path,label\n" + b"x" * 200_000 + b",cat\n", r", line 2: not a CSV list"),
    ],
)
def test_a_csv_that_is_not_utf8_names_the_file_line_and_fix(
    emitted, tmp_path, data, message
):
    modules, user_error = emitted
    (path := tmp_path / "list.csv").write_bytes(data)
    with pytest.raises(user_error) as error:
        modules["csv_list"].listed_files(path)
    said = str(error.value)
    assert said.startswith(str(path)) and re.match(re.escape(str(path)) + message, said)
    assert said.endswith("save it as a UTF-8 CSV file (Excel: Save As, 'CSV UTF-8')")
    assert "\n" not in said
    # UTF-8, with or without Excel's byte-order mark, reads
    for text in (TABLE.encode("utf-8"), TABLE.encode("utf-8-sig")):
        (tmp_path / "à").mkdir(exist_ok=True)
        for image in ("à/a.png", "b.png"):
            Image.new("L", (4, 4)).save(tmp_path / image)
        path.write_bytes(text)
        assert len(modules["csv_list"].listed_files(path)["train"]) == 2


def test_channel_stats_are_read_in_chunks_with_the_old_figures(emitted, tmp_path):
    stats = emitted[0]["image_stats"]

    def whole(images, most=10_000):  # the formula before chunks: a float copy of all
        sample = images[:: max(1, len(images) // most)].astype(np.float32) / 255
        mean = sample.mean(axis=(0, 2, 3), dtype=np.float64)
        std = sample.std(axis=(0, 2, 3), dtype=np.float64)
        return tuple(round(float(m), 4) for m in mean), tuple(
            round(max(float(s), 1e-3), 4) for s in std
        )

    rng = np.random.default_rng(0)
    digits = load_digits().images[:300, None].repeat(3, axis=1)
    real = np.round(digits * 255 / 16).astype(np.uint8)  # 300 x 3 x 8 x 8
    flat = np.full((7, 1, 5, 5), 9, np.uint8)  # std 0: floored at 0.001
    for images, most in ((real, 10_000), (real, 7), (flat, 10_000)):
        expected = whole(images, most)
        for chunk in (1, 200, 10**9):  # one image a chunk, a few, all at once
            stats.CHUNK_BYTES = chunk
            assert stats.channel_stats(images, most) == expected
    stats.CHUNK_BYTES = 256 << 20
    noise = rng.integers(0, 256, (64, 3, 6, 6), dtype=np.uint8)
    # in its files (data.in_memory=false): the same figures from the same pixels
    listing, cfg = emitted[0]["listing"], data_cfg(channels=3, image_size=6)
    for i, image in enumerate(noise):
        Image.fromarray(image.transpose(1, 2, 0)).save(tmp_path / f"{i}.png")
    files = listing.ImageFiles(sorted(tmp_path.glob("*.png")), [0] * 64, cfg)
    stats.CHUNK_BYTES = 300
    assert stats.channel_stats(files) == whole(files[:])
    stats.CHUNK_BYTES = 256 << 20


def class_names_in_checkpoint(run_dir: Path, backend: str) -> list[str]:
    path = checkpoint(run_dir, backend, "best")
    if backend == "paddle":
        return json.loads(path.with_suffix(".json").read_text())["data"]["class_names"]
    import torch

    return torch.load(path, weights_only=True)["hyper_parameters"]["data"][
        "class_names"
    ]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_mixed_folder_with_a_corrupt_file_trains_and_predicts_names(
    golden_copy, tmp_path, backend
):
    project = golden_copy(f"{backend}-lenet-digits")  # any project trains your images
    photos = tmp_path / "photos"
    write_digits(photos)
    write_mixed(photos)
    corrupt_png(broken := photos / "one" / "broken.png")
    huge_png(huge := photos / "zero" / "huge.png")
    args = [*TINY_RUN, f"data.root={photos}"]
    refused = run(["train.py", *args], project)
    assert refused.returncode == 2, refused.stderr
    first = refused.stderr.removeprefix("error: ").split(": cannot read this image")[0]
    assert first in (str(broken), str(huge)), refused.stderr
    assert (
        "(1 more unreadable files: python check_data.py lists them)" in refused.stderr
    )
    assert "data.skip_corrupt=true" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert not (project / "runs").exists() or not any((project / "runs").iterdir())
    trained = run(["train.py", *args, "data.skip_corrupt=true"], project)
    assert trained.returncode == 0, trained.stderr
    run_dir = only_run(project)
    record = json.loads((run_dir / "record.json").read_text())
    data = record["data"]
    assert data["class_names"] == ["one", "two", "zero"] and data["image_shape"] == [
        1,
        28,
        28,
    ]
    skipped = {s["path"]: s["reason"] for s in data["skipped"]}
    assert sorted(skipped) == sorted([str(broken), str(huge)])
    assert skipped[str(huge)] == "30000x30000 pixels, above the 100,000,000 cap"
    assert len(data["mean"]) == 1 and 0 < data["std"][0] < 1
    assert class_names_in_checkpoint(run_dir, backend) == ["one", "two", "zero"]
    best = checkpoint(run_dir, backend, "best")
    predicted = run(
        ["predict.py", f"ckpt_path={best}", f"inputs={photos / 'two'}"], project
    )
    assert predicted.returncode == 0, predicted.stderr
    lines = [line.split("\t") for line in predicted.stdout.strip().splitlines()]
    assert len(lines) == 40 + 7 and {label for _, label, _ in lines} <= set(
        NAMES.values()
    )


def test_a_csv_list_trains_and_a_bad_one_leaves_no_run(golden_copy, tmp_path):
    project = golden_copy("paddle-lenet-digits")
    write_digits(tmp_path / "images", per_class=20)
    rows = ["path,label,split"]
    for i, path in enumerate(sorted((tmp_path / "images").rglob("*.png"))):
        split = "test" if i % 5 == 0 else ""
        rows.append(f"images/{path.parent.name}/{path.name},{path.parent.name},{split}")
    (listing := tmp_path / "labels.csv").write_text("\n".join(rows) + "\n")
    args = [
        "model=lenet",
        "data=csv",
        f"data.csv={listing}",
        "scheduler=none",
        "trainer=debug",
        *QUIET,
    ]
    trained = run(["train.py", *args, "data.image_size=8"], project)
    assert trained.returncode == 0, trained.stderr
    data = json.loads((only_run(project) / "record.json").read_text())["data"]
    assert data["class_names"] == ["one", "two", "zero"] and data["test_size"] == 12
    assert (
        data["splits"]["test"] == f"data.csv={listing}" and data["image_shape"][1] == 8
    )
    (bad := tmp_path / "bad.csv").write_text(
        "path,label\nimages/zero/000.png,zero\nmissing.png,one\n"
    )
    refused = run(["train.py", "model=lenet", "data=csv", f"data.csv={bad}"], project)
    assert refused.returncode == 2
    assert refused.stderr.strip() == (
        f"error: {bad}, line 3: no such image {tmp_path / 'missing.png'} (paths are"
        " relative to the CSV file's folder)"
    )
    assert len(list((project / "runs").iterdir())) == 1  # only the run that trained


WNIDS = ["n01440764", "n01443537", "n01484850"]  # tench, goldfish, great white shark


def tar_bytes(members: dict[str, bytes], mode: str = "w") -> bytes:
    import io
    import tarfile

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode=mode) as archive:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


def jpeg_bytes(value: int) -> bytes:
    import io

    buffer = io.BytesIO()
    Image.fromarray(np.full((10, 12, 3), value, np.uint8)).save(buffer, "JPEG")
    return buffer.getvalue()


def write_imagenet(root: Path) -> list[str]:
    """The three official files, in their real structure, for 3 classes: a training tar
    of a tar per class, a flat validation tar, and the devkit (meta.mat + ground truth,
    which names classes by ILSVRC id). Returns each validation image's wnid."""
    import io

    from scipy.io import savemat

    per_class = {
        f"{wnid}.tar": tar_bytes(
            {f"{wnid}_{i}.JPEG": jpeg_bytes(80 * k + i) for i in range(4)}
        )
        for k, wnid in enumerate(WNIDS)
    }
    (root / "ILSVRC2012_img_train.tar").write_bytes(tar_bytes(per_class))
    ids = [3, 1, 2, 1, 3, 2]  # the ILSVRC2012_ID of each validation image, in order
    val = {f"ILSVRC2012_val_{n:08d}.JPEG": jpeg_bytes(40 * n) for n in range(1, 7)}
    val["../escaped.JPEG"] = jpeg_bytes(1)  # a name that would leave the folder
    (root / "ILSVRC2012_img_val.tar").write_bytes(tar_bytes(val))
    fields = [
        ("ILSVRC2012_ID", "O"),
        ("WNID", "O"),
        ("words", "O"),
        ("num_children", "O"),
    ]
    synsets = np.array(
        [
            (1, WNIDS[0], "tench", 0),
            (2, WNIDS[1], "goldfish", 0),
            (1001, "n0", "fish", 2),
            (3, WNIDS[2], "great white shark", 0),
        ],
        dtype=fields,
    )
    meta = io.BytesIO()
    savemat(meta, {"synsets": synsets})
    truth = "".join(f"{i}\n" for i in ids).encode()
    devkit = tar_bytes(
        {
            "ILSVRC2012_devkit_t12/data/meta.mat": meta.getvalue(),
            "ILSVRC2012_devkit_t12/data/ILSVRC2012_validation_ground_truth.txt": truth,
        },
        "w:gz",
    )
    (root / "ILSVRC2012_devkit_t12.tar.gz").write_bytes(devkit)
    return [WNIDS[i - 1] for i in ids]


def test_imagenet_is_unpacked_once_from_the_official_files(emitted, tmp_path):
    modules, user_error = emitted
    imagenet = modules["imagenet"]
    root = tmp_path / "data"
    root.mkdir()
    cfg = data_cfg(root=str(root), channels=3, image_size=8, val_fraction=0.25)
    with pytest.raises(user_error) as error:
        imagenet.download(None, cfg)
    assert str(error.value) == (
        f"data.root={root} lacks ILSVRC2012_img_train.tar, ILSVRC2012_img_val.tar,"
        " ILSVRC2012_devkit_t12.tar.gz: ImageNet has no public download; get them from"
        f" https://image-net.org/download-images and put them in {root}/"
    )
    (root / "ILSVRC2012_img_train.tar").write_bytes(b"")
    with pytest.raises(
        user_error,
        match=r"lacks ILSVRC2012_img_val.tar, ILSVRC2012_devkit_t12.tar.gz: ",
    ):
        imagenet.download(None, cfg)
    labels = write_imagenet(root)
    imagenet.download(None, cfg)
    prepared = root / "imagenet"
    assert sorted(p.name for p in (prepared / "train").iterdir()) == WNIDS
    assert all(len(list((prepared / "train" / w).iterdir())) == 4 for w in WNIDS)
    for n, wnid in enumerate(labels, start=1):
        assert (prepared / "test" / wnid / f"ILSVRC2012_val_{n:08d}.JPEG").is_file()
    assert not (root / "imagenet.part").exists() and not list(
        tmp_path.rglob("escaped*")
    )
    for archive in root.glob("ILSVRC2012_*"):
        archive.unlink()  # unpacked once: the archives are no longer read
    imagenet.download(None, cfg)
    arrays = imagenet.load(None, cfg)
    assert arrays.class_names == WNIDS and len(arrays.test_labels) == 6
    assert [WNIDS[i] for i in arrays.test_labels] == [
        labels[i] for i in (1, 3, 2, 5, 0, 4)
    ]
    assert np.bincount(arrays.val_labels).tolist() == [1, 1, 1]


@pytest.mark.parametrize("backend, listed", [("lightning", False), ("paddle", True)])
def test_an_archive_by_url_trains_once_downloaded_and_then_offline(
    golden_copy, tmp_path, backend, listed
):
    """data.url + data.sha256 for your own images: fetched over HTTP from a local
    server, checked, unpacked once; the next run needs no network."""
    images = tmp_path / "pets" / ("images" if listed else "")
    write_digits(images, per_class=12)
    if listed:  # a CSV list inside the archive, its paths relative to it
        rows = [
            f"images/{p.parent.name}/{p.name},{p.parent.name}"
            for p in sorted((tmp_path / "pets").rglob("*.png"))
        ]
        (tmp_path / "pets" / "labels.csv").write_text("path,label\n" + "\n".join(rows))
    served = tmp_path / "served"
    served.mkdir()
    with tarfile.open(served / "pets.tar.gz", "w:gz") as archive:
        archive.add(tmp_path / "pets", arcname="pets")
    sha256 = hashlib.sha256((served / "pets.tar.gz").read_bytes()).hexdigest()
    project = golden_copy(f"{backend}-lenet-digits")
    data = ["data=csv", "data.csv=labels.csv"] if listed else ["data=imagefolder"]
    args = [*TINY_RUN, *data, "data.image_size=8", f"data.sha256={sha256}"]
    with serve(served) as url:
        first = run(["train.py", *args, f"data.url={url}pets.tar.gz"], project)
        assert first.returncode == 0, first.stderr
        wrong = run(
            [
                "train.py",
                *args[:-1],
                f"data.sha256={'0' * 64}",
                f"data.url={url}pets.tar.gz",
            ],
            project,
        )
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr
    offline = run(["train.py", *args, f"data.url={url}pets.tar.gz"], project)
    assert offline.returncode == 0, offline.stderr  # the unpacked folder is reused
    unpacked = project / "data" / "pets"  # the archive's one folder, flattened
    assert (unpacked / images.relative_to(tmp_path / "pets") / "zero").is_dir()
    records = sorted((project / "runs").glob("*/record.json"))
    assert len(records) == 2  # the refused run left no directory
    names = json.loads(records[-1].read_text())["data"]["class_names"]
    assert names == ["one", "two", "zero"]
