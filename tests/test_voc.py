"""Pascal VOC and the datasets that download themselves (issue 10), framework-free: the
VOC annotation reader on crafted files (1-based coordinates, boxes outside the image,
degenerate boxes, difficult objects) with one line for each broken form, a VOC folder
into arrays (palette masks with their void border, test carved from train), `voc2012`
and `coco2017` downloaded from a local HTTP mirror as small archives in the official
layouts, offline and corrupt downloads, and both twins training on them.

The files are imported from the rendered segmentation golden (`vocpkg`).
"""

import io
import json
import sys
import tarfile
import zipfile
from pathlib import Path

import numpy as np
import pytest
from omegaconf import OmegaConf
from PIL import Image

from tests.conftest import run
from tests.http_server import closed_port_url, serve

GOLDEN = "lightning-unet-digit-canvas"
MODULES = ("data.voc", "data.voc_folder", "data.coco_sets")
VOID = 255
PALETTE = [0, 0, 0, 128, 0, 0, 0, 128, 0, 128, 128, 0] + [0, 0, 128] * 251
PALETTE += [224, 224, 192]  # VOC's border colour, at 255


@pytest.fixture(scope="session")
def vocpkg(golden_package):
    for module in MODULES:
        golden_package(GOLDEN, module)
    return sys.modules[GOLDEN.split("-", 1)[1].replace("-", "_")]


@pytest.fixture(autouse=True)
def never_the_official_hosts(monkeypatch):
    """Only the local mirror: a networked machine must not reach the real hosts."""
    monkeypatch.setenv("DATA_MIRRORS_ONLY", "1")
    monkeypatch.delenv("DATA_MIRRORS", raising=False)


def data_cfg(root: Path, name: str, mirror: str | None = None, **keys):
    """The data config of a dense project, as configs/data/<name>.yaml gives it."""
    values = {"name": name, "root": str(root), "url": None, "sha256": None}
    values |= {"mirrors": [mirror] if mirror else [], "download_timeout": 5}
    values |= {"verify_checksums": False, "val_fraction": 0.25, "test_fraction": 0.25}
    values |= {"split_seed": 0, "channels": 3, "image_size": 16}
    values |= {"keep_difficult": False, "classes": None}
    return OmegaConf.create(values | keys)


# --- crafted VOC files ------------------------------------------------------------


def voc_xml(width, height, objects, size: bool = True) -> str:
    """An annotation as VOC2012's files spell it; objects: (name, box, difficult)."""
    parts = ["<annotation><folder>VOC2012</folder><filename>x.jpg</filename>"]
    if size:
        parts.append(f"<size><width>{width}</width><height>{height}</height>")
        parts.append("<depth>3</depth></size>")
    for name, box, difficult in objects:
        corners = "".join(f"<{k}>{v}</{k}>" for k, v in zip(BOX, box, strict=True))
        parts.append(f"<object><name>{name}</name><pose>Left</pose>")
        parts.append(f"<truncated>0</truncated><difficult>{difficult}</difficult>")
        parts.append(f"<bndbox>{corners}</bndbox></object>")
    return "".join([*parts, "</annotation>"])


BOX = ("xmin", "ymin", "xmax", "ymax")


def palette_png(mask: np.ndarray) -> Image.Image:
    image = Image.frombytes("P", mask.shape[::-1], mask.astype(np.uint8).tobytes())
    image.putpalette(PALETTE)
    return image


def write_voc(folder: Path, train: int = 6, val: int = 2, size=(12, 10)) -> Path:
    """A VOC2012-layout folder: image k is a gray value of 10 k with one box of class
    k % 2 (aeroplane, bicycle) and, in its mask, that class framed by a void border."""
    width, height = size
    for sub in ("JPEGImages", "Annotations", "SegmentationClass"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    ids = [f"2012_{k:06d}" for k in range(train + val)]
    for k, name in enumerate(ids):
        pixels = np.full((height, width, 3), 10 * k, dtype=np.uint8)
        Image.fromarray(pixels).save(folder / "JPEGImages" / f"{name}.jpg", quality=95)
        objects = [(("aeroplane", "bicycle")[k % 2], (3, 2, 8, 6), 0)]
        xml = voc_xml(width, height, objects)
        (folder / "Annotations" / f"{name}.xml").write_text(xml)
        mask = np.zeros((height, width), dtype=np.uint8)
        mask[1:7, 2:9] = VOID
        mask[2:6, 3:8] = 1 + k % 2
        palette_png(mask).save(folder / "SegmentationClass" / f"{name}.png")
    for kind in ("Main", "Segmentation"):
        lists = folder / "ImageSets" / kind
        lists.mkdir(parents=True, exist_ok=True)
        (lists / "train.txt").write_text("".join(f"{n}\n" for n in ids[:train]))
        (lists / "val.txt").write_text("".join(f"{n}\n" for n in ids[train:]))
    return folder


def test_voc_boxes_become_pixel_edges_clipped_dropped_and_counted(vocpkg, tmp_path):
    read = vocpkg.data.voc.read_annotation
    objects = [
        ("cat", (1, 1, 20, 10), 0),  # the whole image: 0..20 x 0..10
        ("dog", (5.5, 3, 8, 4), 0),  # VOC files may hold fractions
        ("person", (-4, 6, 25, 12), 0),  # reaches out: clipped to the image
        ("cat", (9, 3, 7, 8), 0),  # xmax before xmin: no area, dropped
        ("cat", (30, 3, 40, 8), 0),  # wholly outside: dropped
        ("dog", (2, 2, 4, 4), 1),  # difficult
    ]
    file = tmp_path / "a.xml"
    file.write_text(voc_xml(20, 10, objects))
    notes = {}
    size, boxes = read(file, list(vocpkg.data.voc.CLASSES), False, notes)
    assert size == (20, 10) and boxes.dtype == np.float32
    cat, dog, person = (
        vocpkg.data.voc.CLASSES.index(n) for n in ("cat", "dog", "person")
    )
    assert boxes.tolist() == [
        [cat, 0, 0, 20, 10],
        [dog, 4.5, 2, 8, 4],
        [person, 0, 5, 20, 10],
    ]
    assert notes == {"clipped_boxes": 1, "dropped_boxes": 2, "difficult_boxes": 1}
    kept = {}
    _, with_difficult = read(file, list(vocpkg.data.voc.CLASSES), True, kept)
    assert with_difficult[-1].tolist() == [dog, 1, 1, 4, 4] and len(with_difficult) == 4
    assert kept["difficult_boxes"] == 1
    file.write_text(voc_xml(20, 10, []))
    assert read(file, ["cat"], False, {})[1].shape == (0, 5)  # no objects: background


BROKEN = {
    "not XML": ("<annotation><size>", "not XML (no element found: line 1, column"),
    "no size": (voc_xml(8, 8, [], size=False), "<size> is missing; add <size>"),
    "text width": (
        voc_xml("wide", 8, []),
        "<size> <width> is 'wide', not a number; fix the file or export it again",
    ),
    "zero height": (voc_xml(8, 0, []), "<size> is 8x0; give the image's pixels"),
    "text coordinate": (
        voc_xml(8, 8, [("cat", (1, 1, "x3", 4), 0)]),
        "<object> 1 <bndbox> <xmax> is 'x3', not a number",
    ),
    "nan coordinate": (
        voc_xml(8, 8, [("cat", (1, 1, 2, 2), 0), ("cat", ("nan", 1, 2, 2), 0)]),
        "<object> 2 <bndbox> <xmin> is 'nan', not a number",
    ),
    "missing coordinate": (
        voc_xml(8, 8, [("cat", (1, 1, 3, 4), 0)]).replace("<ymax>4</ymax>", ""),
        "<object> 1 <bndbox> <ymax> is missing",
    ),
    "unknown class": (
        voc_xml(8, 8, [("persn", (1, 1, 3, 4), 0)]),
        "<object> 1 <name>persn</name> is not a known class. Did you mean person? Fix",
    ),
    "no bndbox": (
        voc_xml(8, 8, [("cat", (1, 1, 3, 4), 0)]).replace("bndbox>", "box>"),
        "<object> 1 has no <bndbox>; fix the file",
    ),
}


@pytest.mark.parametrize("case", BROKEN)
def test_broken_voc_annotations_end_in_one_line(vocpkg, tmp_path, case):
    text, expected = BROKEN[case]
    file = tmp_path / "2012_000001.xml"
    file.write_text(text)
    classes = list(vocpkg.data.voc.CLASSES)
    with pytest.raises(vocpkg.errors.UserError) as raised:
        vocpkg.data.voc.read_annotation(file, classes, False, {})
    message = str(raised.value)
    assert message.startswith(f"{file}: ") and "\n" not in message
    assert expected in message
    with pytest.raises(vocpkg.errors.UserError, match="no such file; place the"):
        vocpkg.data.voc.read_annotation(tmp_path / "gone.xml", classes, False, {})


# --- a VOC folder as arrays --------------------------------------------------------


def test_voc_folder_gives_masks_with_their_void_border(vocpkg, tmp_path):
    folder = write_voc(tmp_path / "VOCdevkit" / "VOC2012")
    found = vocpkg.data.coco_sets.voc_folder(tmp_path)  # data.root may hold it
    assert found == folder == vocpkg.data.coco_sets.voc_folder(folder)
    cfg = data_cfg(tmp_path, "voc", image_size=24)
    loaded = vocpkg.data.coco_sets.load_coco(cfg, "masks")
    assert loaded.class_names[:3] == ["background", "aeroplane", "bicycle"]
    assert len(loaded.class_names) == 21
    images, masks = loaded.splits["train"]
    assert images.shape == (4, 3, 24, 24) and masks.shape == (4, 24, 24)
    assert loaded.splits["val"][0].shape[0] == 2  # its own list: not carved
    assert loaded.splits["test"][0].shape[0] == 2  # VOC has none: carved from train
    assert loaded.notes["carved_from_train"] == {"test": 2}
    every = np.concatenate([split[1] for split in loaded.splits.values()])
    assert set(np.unique(every)) == {0, 1, 2, VOID}  # nearest: no blended values
    gray = {s: a[0][:, 0, 0, 0].tolist() for s, a in loaded.splits.items()}
    assert sorted(v for values in gray.values() for v in values) == pytest.approx(
        [10 * k for k in range(8)], abs=3
    )  # every image once: JPEG's rounding aside
    for image, mask in zip(*loaded.splits["train"], strict=True):
        value = round(image[0, 0, 0] / 10)
        assert mask[12, 12] == 1 + value % 2  # the image's own mask


def test_voc_folder_gives_boxes_scaled_with_their_image(vocpkg, tmp_path):
    write_voc(tmp_path)
    xml = tmp_path / "Annotations" / "2012_000007.xml"  # a val image: two more boxes
    objects = [("bicycle", (3, 2, 8, 6), 0), ("horse", (1, 1, 2, 2), 1)]
    xml.write_text(voc_xml(12, 10, [*objects, ("bicycle", (5, 5, 4, 9), 0)]))
    cfg = data_cfg(tmp_path, "voc", image_size=24, val_fraction=0.5)
    loaded = vocpkg.data.coco_sets.load_coco(cfg, "boxes")
    assert loaded.class_names == list(vocpkg.data.voc.CLASSES)
    val = loaded.splits["val"][1]
    assert [len(table) for table in val] == [1, 1]
    np.testing.assert_allclose(  # 2..8 x 1..6 in pixel edges, scaled by 2 and 2.4
        np.concatenate(val), [[0, 4, 2.4, 16, 14.4], [1, 4, 2.4, 16, 14.4]], 1e-6
    )
    assert loaded.notes["val"] == {
        "clipped_boxes": 0,
        "dropped_boxes": 1,
        "difficult_boxes": 1,
    }
    cfg.keep_difficult = True
    kept = vocpkg.data.coco_sets.load_coco(cfg, "boxes").splits["val"][1][1]
    horse = vocpkg.data.voc.CLASSES.index("horse")
    np.testing.assert_allclose(kept[1], [horse, 0, 0, 4, 4.8], 1e-6)
    (tmp_path / "ImageSets" / "Main" / "val.txt").unlink()  # val carved instead
    carved = vocpkg.data.coco_sets.load_coco(cfg, "boxes")
    assert carved.notes["carved_from_train"] == {"test": 2, "val": 3}
    assert len(carved.splits["train"][0]) == 1


def test_your_own_classes_name_the_masks(vocpkg, tmp_path):
    write_voc(tmp_path)
    xml = voc_xml(12, 10, [("wheel", (3, 2, 8, 6), 0)])
    for name in ("2012_000000", "2012_000001"):
        (tmp_path / "Annotations" / f"{name}.xml").write_text(xml)
    cfg = data_cfg(tmp_path, "voc", classes=["wheel", "door"])
    loaded = vocpkg.data.coco_sets.load_coco(cfg, "masks")
    assert loaded.class_names == ["background", "wheel", "door"]
    with pytest.raises(vocpkg.errors.UserError, match="<name>aeroplane</name> is not"):
        vocpkg.data.coco_sets.load_coco(cfg, "boxes")


def test_bad_voc_folders_end_in_one_line(vocpkg, tmp_path):
    user_error = vocpkg.errors.UserError
    cfg = data_cfg(tmp_path, "voc")

    def refused(targets: str = "masks") -> str:
        with pytest.raises(user_error) as raised:
            vocpkg.data.coco_sets.load_coco(cfg, targets)
        assert "\n" not in str(raised.value)
        return str(raised.value)

    assert "holds no VOC folder (itself, VOC2012/ or VOCdevkit/VOC2012/" in refused()
    write_voc(tmp_path)
    mask = tmp_path / "SegmentationClass" / "2012_000002.png"
    palette_png(np.zeros((10, 11))).save(mask)
    assert refused() == (
        f"{mask}: 11x10 pixels, but its image 2012_000002.jpg is 12x10; a mask must"
        " match its image"
    )
    Image.new("RGB", (12, 10)).save(mask)
    assert refused().startswith(f"{mask}: a RGB picture, not a palette (P) or gray")
    broken = np.zeros((10, 12))
    broken[0, 0] = 21
    palette_png(broken).save(mask)
    assert refused() == (
        f"{mask}: holds the class value 21, but there are 20 classes (1-20; 0"
        " background, 255 void); fix the mask, or list your classes in data.classes"
        " (data=voc)"
    )
    mask.write_bytes(b"\x89PNG\r\n\x1a\n not a png")
    assert refused().startswith(f"{mask}: cannot read this mask (")
    mask.unlink()
    assert refused() == f"{mask}: no such file; place the image's class mask there"
    image = tmp_path / "JPEGImages" / "2012_000003.jpg"
    image.unlink()
    listed = tmp_path / "ImageSets" / "Main" / "train.txt"
    assert refused("boxes") == (
        f"{image}: no such file; place the image there or remove 2012_000003 from"
        f" {listed}"
    )
    listed.write_text("\n\n")
    assert refused("boxes") == f"{listed} lists no image ids; list one a line"
    listed.unlink()
    assert refused("boxes").startswith(f"{listed}: no such file; list the training")


def test_a_voc_folder_by_url_is_unpacked_once_and_found(vocpkg, tmp_path):
    write_voc(tmp_path / "made" / "VOC2012")
    archive = tmp_path / "served" / "my_voc.tar.gz"
    archive.parent.mkdir()
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(tmp_path / "made", arcname="my_voc")
    root = tmp_path / "data"
    with serve(archive.parent) as url:
        cfg = data_cfg(root, "voc", url=f"{url}my_voc.tar.gz")
        vocpkg.data.coco_sets.prepare(cfg)
    assert (root / "my_voc" / "VOC2012" / "ImageSets").is_dir() and not leftovers(root)
    loaded = vocpkg.data.coco_sets.load_coco(cfg, "boxes")  # the server is gone
    assert sum(len(split[0]) for split in loaded.splits.values()) == 8


# --- the downloaded datasets ---------------------------------------------------------


def voc_tar(folder: Path) -> Path:
    """VOCtrainval_11-May-2012.tar as the official one is laid out: VOCdevkit/VOC2012/."""
    devkit = write_voc(folder / "made" / "VOCdevkit" / "VOC2012").parent
    archive = folder / "served" / "VOCtrainval_11-May-2012.tar"
    archive.parent.mkdir(parents=True)
    with tarfile.open(archive, "w") as tar:
        tar.add(devkit, arcname="VOCdevkit")
    return archive


def leftovers(root: Path) -> list[Path]:
    parts = (".part", ".unpack-", ".download.lock")
    return [p for p in root.rglob("*") if any(part in p.name for part in parts)]


def test_voc2012_downloads_from_a_mirror_once(vocpkg, tmp_path):
    sets, user_error = vocpkg.data.coco_sets, vocpkg.errors.UserError
    archive = voc_tar(tmp_path)
    root = tmp_path / "data"
    with serve(archive.parent) as url:
        checked = data_cfg(root, "voc2012", url, verify_checksums=True)
        with pytest.raises(
            user_error, match=r"\(corrupt: MD5 \w+, expected 6cd6e144f989b92b3379ba"
        ):
            sets.prepare(checked)
        assert not root.exists()  # nothing half-written
        sets.prepare(data_cfg(root, "voc2012", url))
    assert (root / "VOCdevkit" / "VOC2012" / "JPEGImages").is_dir()
    assert not leftovers(root)
    offline = data_cfg(root, "voc2012", closed_port_url())
    sets.prepare(offline)  # unpacked already: no network needed
    assert len(sets.load_coco(offline, "boxes").class_names) == 20
    with pytest.raises(
        user_error, match=r"own VOC folder \(data=voc\); data=voc2012 has"
    ):
        sets.prepare(data_cfg(root, "voc2012", url="https://host/VOC.tar"))


def test_offline_names_the_files_and_where_to_put_them(vocpkg, tmp_path):
    sets, user_error = vocpkg.data.coco_sets, vocpkg.errors.UserError
    offline = closed_port_url()
    with pytest.raises(
        user_error, match=f"Put VOCtrainval_11-May-2012.tar in {tmp_path}/ yourself"
    ):
        sets.prepare(data_cfg(tmp_path, "voc2012", offline))
    zips = "annotations_trainval2017.zip, val2017.zip, train2017.zip"
    with pytest.raises(user_error, match=f"Put {zips} in {tmp_path}/ yourself"):
        sets.prepare(data_cfg(tmp_path, "coco2017", offline))
    assert not list(tmp_path.iterdir())


def coco_zips(folder: Path) -> Path:
    """train2017.zip, val2017.zip and annotations_trainval2017.zip, laid out as the
    official ones (with a captions file that is not kept), holding 6 and 2 images of
    three categories with COCO's own ids (1 person, 3 car, 90 toothbrush)."""
    served = folder / "served"
    served.mkdir()
    categories = [{"id": i, "name": n} for i, n in [(1, "person"), (90, "toothbrush")]]
    categories.insert(1, {"id": 3, "name": "car"})
    annotations = {}
    for split, count in (("train", 6), ("val", 2)):
        with zipfile.ZipFile(served / f"{split}2017.zip", "w") as images:
            listed = []
            for k in range(count):
                buffer = io.BytesIO()
                Image.new("RGB", (12, 10), (10 * k, 0, 0)).save(buffer, "JPEG")
                images.writestr(f"{split}2017/{k:012d}.jpg", buffer.getvalue())
                listed.append({"id": k, "file_name": f"{k:012d}.jpg"})
        annotations[split] = {
            "images": [image | {"height": 10, "width": 12} for image in listed],
            "annotations": [
                {"id": k, "image_id": k, "category_id": [1, 3, 90][k % 3], "iscrowd": 0}
                | {"bbox": [2, 2, 6, 5], "segmentation": [[2, 2, 7, 2, 7, 6, 2, 6]]}
                for k in range(count)
            ],
            "categories": categories,
        }
    with zipfile.ZipFile(served / "annotations_trainval2017.zip", "w") as packed:
        for split, content in annotations.items():
            packed.writestr(
                f"annotations/instances_{split}2017.json", json.dumps(content)
            )
        packed.writestr("annotations/captions_train2017.json", "{}")
    return served


def test_coco2017_downloads_and_is_arranged_as_a_coco_folder(vocpkg, tmp_path):
    sets = vocpkg.data.coco_sets
    root = tmp_path / "data"
    with serve(coco_zips(tmp_path)) as url:
        sets.prepare(data_cfg(root, "coco2017", url))
    folder = root / "coco2017"
    assert sorted(p.name for p in (folder / "annotations").iterdir()) == [
        "train.json",
        "val.json",
    ]
    assert len(list((folder / "train").iterdir())) == 6
    assert not leftovers(root) and not list(folder.glob(".*"))
    offline = data_cfg(root, "coco2017", closed_port_url())
    sets.prepare(offline)
    masks = sets.load_coco(offline, "masks")
    assert masks.class_names == ["background", "person", "car", "toothbrush"]
    assert masks.notes["carved_from_train"] == {"test": 2}
    assert masks.splits["val"][1].shape == (2, 16, 16)
    boxes = sets.load_coco(offline, "boxes").splits["val"][1]
    assert [table[:, 0].tolist() for table in boxes] == [[0], [1]]
    with pytest.raises(vocpkg.errors.UserError, match=r"own COCO folder \(data=coco\)"):
        sets.prepare(data_cfg(root, "coco2017", url="https://host/coco.zip"))


def test_a_coco2017_annotations_zip_without_instances_is_refused(vocpkg, tmp_path):
    served = coco_zips(tmp_path)
    annotations = served / "annotations_trainval2017.zip"
    with zipfile.ZipFile(annotations, "w") as packed:
        packed.writestr("annotations/captions_train2017.json", "{}")
    root = tmp_path / "data"
    with (
        serve(served) as url,
        pytest.raises(
            vocpkg.errors.UserError,
            match=r"annotations_trainval2017\.zip holds no annotations/instances_train"
            r"2017\.json; delete it to download it again",
        ),
    ):
        vocpkg.data.coco_sets.prepare(data_cfg(root, "coco2017", url))
    assert not (root / "coco2017" / "annotations").exists() and not leftovers(root)


# --- both twins train on them ------------------------------------------------------

TRAIN = ["trainer=debug", "trainer.enable_progress_bar=false", "data.image_size=32"]


def test_lightning_detection_trains_on_voc2012_from_a_mirror(golden_copy, tmp_path):
    archive = voc_tar(tmp_path)
    project = golden_copy("lightning-yolov5n-digit-canvas")
    with serve(archive.parent) as url:
        args = [*TRAIN, "data=voc2012", f"data.mirrors=[{url}]"]
        args += ["data.verify_checksums=false", "data.batch_size=2"]
        args += [f"data.root={tmp_path / 'data'}", "data.test_fraction=0.34"]
        result = run(["train.py", *args], project, env={"DATA_MIRRORS_ONLY": "1"})
    assert result.returncode == 0, result.stderr
    (run_dir,) = (project / "runs").iterdir()
    record = json.loads((run_dir / "record.json").read_text())
    assert record["data"]["name"] == "voc2012" and record["data"]["test_size"] == 2
    assert (tmp_path / "data" / "VOCdevkit" / "VOC2012").is_dir()


def test_paddle_segmentation_trains_on_a_voc_folder(golden_copy, tmp_path):
    write_voc(tmp_path / "mine" / "VOC2012")
    project = golden_copy("paddle-unet-digit-canvas")
    args = [*TRAIN, "data=voc", f"data.root={tmp_path / 'mine'}", "data.batch_size=2"]
    result = run(["train.py", *args], project)
    assert result.returncode == 0, result.stderr
    bad = run(["train.py", *args, "data.classes=[]"], project)
    assert bad.returncode == 2
    assert "data.classes=[] is not allowed: must be null" in bad.stderr
