"""Segmentation data and scores, framework-free (issue 10): COCO polygons and RLE byte-exact
with pycocotools, the COCO reader on crafted files (polygons, compressed and uncompressed
RLE, crowd regions, empty images, boxes outside the image or without area) with one line
for each broken form, a coco folder turned into arrays (missing splits carved by seed),
the digit_canvas offline default (same bytes every time, test digits unseen), and mIoU and
pixel accuracy on hand-made confusions.

The files are imported from the rendered segmentation golden (`segpkg`).
"""

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pycocotools import mask as coco_mask

GOLDEN = "lightning-unet-digit-canvas"
MODULES = ("data.coco", "data.coco_folder", "data.digit_canvas", "segmentation_scores")


@pytest.fixture(scope="session")
def segpkg(golden_package):
    """The segmentation golden's package, with data/coco*.py, digit_canvas.py and
    segmentation_scores.py imported."""
    for module in MODULES:
        golden_package(GOLDEN, module)
    return sys.modules[GOLDEN.split("-", 1)[1].replace("-", "_")]


# --- masks: polygons and RLE ---------------------------------------------------------


def random_masks(count: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    for _ in range(count):
        height, width = (int(v) for v in rng.integers(1, 40, 2))
        yield rng.random((height, width)) < rng.random()


def test_rle_is_byte_exact_with_pycocotools(segpkg):
    masks = segpkg.data.coco_masks
    for mask in random_masks(200):
        height, width = mask.shape
        reference = coco_mask.encode(np.asfortranarray(mask.astype(np.uint8)))
        ours = masks.mask_to_rle(mask)
        assert ours["size"] == [height, width]
        assert (
            coco_mask.frPyObjects(ours, height, width)["counts"] == reference["counts"]
        )
        compressed = {"size": [height, width], "counts": reference["counts"].decode()}
        assert np.array_equal(masks.rle_to_mask(compressed, height, width), mask)
        assert np.array_equal(masks.annotation_mask(ours, height, width), mask)


def test_rle_of_long_runs_and_all_ones(segpkg):
    masks = segpkg.data.coco_masks
    mask = np.zeros((300, 500), dtype=bool)  # runs longer than one 5-bit chunk
    mask[:, 7:450] = True
    mask[100:120, 460:470] = True
    full = np.ones((3, 4), dtype=bool)
    for case in (mask, full):
        text = coco_mask.encode(np.asfortranarray(case.astype(np.uint8)))["counts"]
        rle = {"size": list(case.shape), "counts": text.decode()}
        assert np.array_equal(masks.rle_to_mask(rle, *case.shape), case)
    assert masks.mask_to_rle(full)["counts"] == [0, 12]  # the first run counts 0s


def test_polygons_fill_with_edges_and_skip_short_ones(segpkg):
    masks = segpkg.data.coco_masks
    square = [[1, 1, 4, 1, 4, 3, 1, 3]]
    expected = np.zeros((5, 6), dtype=bool)
    expected[1:4, 1:5] = True
    assert np.array_equal(masks.polygons_to_mask(square, 5, 6), expected)
    assert not masks.polygons_to_mask([[1, 1, 4, 4]], 5, 6).any()  # two points
    assert np.array_equal(masks.annotation_mask([*square, []], 5, 6), expected)


def test_mask_to_polygons_gives_back_the_mask_holes_and_all(segpkg):
    masks = segpkg.data.coco_masks
    ring = np.zeros((9, 9), dtype=bool)
    ring[1:8, 1:8], ring[3:6, 3:6] = True, False
    for mask in [ring, *random_masks(100, seed=1)]:
        polygons = masks.mask_to_polygons(mask)
        assert np.array_equal(masks.polygons_to_mask(polygons, *mask.shape), mask)


@pytest.mark.parametrize(
    ("segmentation", "problem"),
    [
        ("abc", "neither a list of polygons nor an RLE"),
        ([[1, 2, 3]], "polygon 0 is not a flat"),
        ([[1, 2, 3, None, 4, 5]], "polygon 0 holds a value that is not a finite"),
        ({"size": [4, 5], "counts": [20]}, "RLE size=[4, 5] is not the image's [5, 4]"),
        ({"size": [5, 4], "counts": [3, 4]}, "RLE counts do not add up to 5 x 4"),
        ({"size": [5, 4], "counts": [20.0]}, "RLE counts is neither a list of ints"),
        ({"size": [5, 4], "counts": "1 "}, "a character outside '0'..'o'"),
        ({"size": [5, 4], "counts": "b"}, "ends in the middle of a number"),
    ],
)
def test_malformed_segmentations_say_why(segpkg, segmentation, problem):
    with pytest.raises(ValueError) as raised:
        segpkg.data.coco_masks.annotation_mask(segmentation, 5, 4)
    assert problem in str(raised.value)


# --- the COCO reader -----------------------------------------------------------------


def write_png(path: Path, height: int, width: int, value: int = 0) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.full((height, width, 3), value, dtype=np.uint8)).save(path)


def write_split(folder: Path, split: str, content: dict, png: bool = True) -> Path:
    """folder/annotations/<split>.json holding `content`, with its images as PNGs
    (each of one gray value: its id)."""
    for image in content.get("images", []) if png else []:
        file, value = folder / split / image["file_name"], image["id"] % 256
        write_png(file, image["height"], image["width"], value)
    file = folder / "annotations" / f"{split}.json"
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(json.dumps(content))
    return file


def crafted() -> dict:
    """Three images, two categories (ids 3 and 7: not 1-based, not contiguous)."""
    ring = np.zeros((10, 12), dtype=bool)
    ring[2:8, 2:8], ring[4:6, 4:6] = True, False
    compressed = coco_mask.encode(np.asfortranarray(ring.astype(np.uint8)))
    crowd = {"size": [10, 12], "counts": [10 * 9 + 3, 4, 10 * 12 - 97]}  # x=9 y=3..6
    annotations = [
        ({"category_id": 7, "bbox": [1, 1, 4, 3]}, [[1, 1, 4, 1, 4, 3, 1, 3]]),
        ({"category_id": 3, "bbox": [2, 2, 6, 6]}, {"size": [10, 12], "counts":
         compressed["counts"].decode()}),
        ({"category_id": 3, "bbox": [9, 3, 1, 4], "iscrowd": 1}, crowd),
        ({"category_id": 7, "bbox": [-5, 8, 10, 10]}, [[0, 8, 4, 8, 4, 9, 0, 9]]),
        ({"category_id": 7, "bbox": [12, 0, 3, 3]}, [[0, 0, 1, 0, 1, 1]]),  # outside
        ({"category_id": 3, "bbox": [1, 1, 0, 2]}, [[1, 1, 1, 2, 1, 3]]),  # no width
        ({"image_id": 2, "category_id": 3, "bbox": [0, 0, 2, 2]},
         {"size": [6, 8], "counts": [0, 2, 4, 2, 40]}),
    ]  # fmt: skip
    return {
        "images": [
            {"id": 1, "file_name": "a.png", "height": 10, "width": 12},
            {"id": 2, "file_name": "sub/b.png", "height": 6, "width": 8},
            {"id": 5, "file_name": "empty.png", "height": 4, "width": 4},
        ],
        "annotations": [
            {"id": i + 1, "image_id": 1, **fields, "segmentation": segmentation}
            for i, (fields, segmentation) in enumerate(annotations)
        ],
        "categories": [{"id": 7, "name": "seven"}, {"id": 3, "name": "three"}],
    }


def test_read_coco_keeps_clips_drops_and_counts(segpkg, tmp_path):
    file = write_split(tmp_path, "train", crafted())
    split = segpkg.data.coco.read_coco(file, tmp_path / "train")
    assert split.class_names == ["three", "seven"]  # by ascending category id
    assert [image["id"] for image in split.images] == [1, 2, 5]
    assert split.images[1]["file"] == tmp_path / "train" / "sub" / "b.png"
    assert split.images[1]["file"].is_absolute()
    first = split.annotations[1]
    assert [a["category"] for a in first] == [1, 0, 0, 1]
    assert [a["iscrowd"] for a in first] == [False, False, True, False]
    assert first[3]["bbox"] == [0, 8, 5, 2]  # clipped to the 12 x 10 image
    assert split.annotations[5] == []  # an empty image stays, all background
    assert split.notes == {
        "clipped_boxes": 1,
        "dropped_boxes": 2,
        "crowd_regions": 1,
        "empty_images": 1,
    }


def test_semantic_mask_paints_in_order_and_crowd_last(segpkg, tmp_path):
    coco = segpkg.data.coco
    split = coco.read_coco(
        write_split(tmp_path, "train", crafted()), tmp_path / "train"
    )
    mask = coco.semantic_mask(split, split.images[0])
    assert mask.dtype == np.uint8 and mask.shape == (10, 12)
    assert (mask[1, 1:5] == 2).all() and (mask[3, 1:2] == 2).all()  # seven: polygon
    assert (mask[2:4, 2:5] == 1).all()  # the ring (three) painted over the polygon
    assert (mask[4:6, 4:6] == 0).all() and (mask[2:8, 6:8] == 1).all()  # its hole
    assert (mask[3:7, 9] == 255).all() and mask[2, 9] == 0  # the crowd region
    assert (mask[8:10, 0:5] == 2).all()  # the clipped annotation
    assert sorted(np.unique(mask)) == [0, 1, 2, 255]
    small = coco.semantic_mask(split, split.images[1])  # RLE: 2 x 2 at the top left
    assert (small[:2, :2] == 1).all() and small.sum() == 4
    assert not coco.semantic_mask(split, split.images[2]).any()


def broken(change) -> dict:
    content = crafted()
    change(content)
    return content


def set_in(path: list, value):
    def change(content):
        target = content
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


BROKEN = {
    "top level": (lambda c: c.clear(), "images=null is not a list; a COCO file holds"),
    "no annotations": (
        lambda c: c.pop("annotations"),
        "annotations=null is not a list",
    ),
    "categories not a list": (
        set_in(["categories"], {}),
        "categories={} is not a list",
    ),
    "image not an object": (set_in(["images", 1], 3), "images[1]=3 is not an object"),
    "image id text": (set_in(["images", 0, "id"], "1"), 'images[0].id="1" is not an'),
    "image id twice": (set_in(["images", 2, "id"], 2), "images[2].id=2 appears twice"),
    "no file name": (
        set_in(["images", 0, "file_name"], None),
        "images[0].file_name=nul",
    ),
    "zero height": (set_in(["images", 1, "height"], 0), "images[1].height=0 is not po"),
    "float width": (
        set_in(["images", 1, "width"], 8.5),
        "images[1].width=8.5 is not a",
    ),
    "no images": (set_in(["images"], []), "images is empty; list at least one image"),
    "no categories": (set_in(["categories"], []), "categories is empty; list each"),
    "category id twice": (
        set_in(["categories", 1, "id"], 7),
        "categories[1].id=7 appea",
    ),
    "category no name": (
        set_in(["categories", 0, "name"], 7),
        "categories[0].name=7 is",
    ),
    "unknown image": (
        set_in(["annotations", 2, "image_id"], 9),
        "annotations[2].image_id=9 is not in images; add the image or remove",
    ),
    "unknown category": (
        set_in(["annotations", 1, "category_id"], 1),
        "annotations[1].category_id=1 is not in categories (ids [3, 7]); fix the id",
    ),
    "bool category": (
        set_in(["annotations", 0, "category_id"], True),
        "annotations[0].category_id=true is not a category id",
    ),
    "bbox of three": (
        set_in(["annotations", 0, "bbox"], [1, 2, 3]),
        "annotations[0].bbox=[1, 2, 3] is not [x, y, width, height]",
    ),
    "no bbox": (
        lambda c: c["annotations"][3].pop("bbox"),
        "annotations[3].bbox=null is not [x, y, width, height]",
    ),
    "iscrowd 2": (set_in(["annotations", 0, "iscrowd"], 2), "annotations[0].iscrowd=2"),
    "segmentation text": (
        set_in(["annotations", 4, "segmentation"], "x"),
        "annotations[4].segmentation: neither a list of polygons nor an RLE",
    ),
    "RLE of another size": (
        set_in(["annotations", 2, "segmentation", "size"], [12, 10]),
        "annotations[2].segmentation: RLE size=[12, 10] is not the image's [10, 12]",
    ),
    "polygon odd": (
        set_in(["annotations", 0, "segmentation"], [[1, 2, 3, 4, 5]]),
        "annotations[0].segmentation: polygon 0 is not a flat [x1, y1, x2, y2, ...]",
    ),
}


@pytest.mark.parametrize("case", BROKEN)
def test_broken_annotation_files_end_in_one_line(segpkg, tmp_path, case):
    change, expected = BROKEN[case]
    write_split(tmp_path, "train", crafted())  # the images are all there
    file = write_split(tmp_path, "train", broken(change), png=False)
    with pytest.raises(segpkg.errors.UserError) as raised:
        segpkg.data.coco.read_coco(file, tmp_path / "train")
    message = str(raised.value)
    assert message.startswith(f"{file}: ") and "\n" not in message
    assert expected in message


def test_ids_in_a_range_are_named_as_a_range(segpkg, tmp_path):
    content = crafted()
    content["categories"] = [{"id": i, "name": f"c{i}"} for i in range(1, 11)]
    content["annotations"][0]["category_id"] = 12
    file = write_split(tmp_path, "train", content)
    with pytest.raises(segpkg.errors.UserError, match=r"=12 is not in .*\(ids 1-10\)"):
        segpkg.data.coco.read_coco(file, tmp_path / "train")


def test_unreadable_files_and_missing_images_are_named(segpkg, tmp_path):
    read_coco, user_error = segpkg.data.coco.read_coco, segpkg.errors.UserError
    file = tmp_path / "annotations" / "train.json"
    with pytest.raises(user_error, match=f"^{file}: no such file; place the COCO"):
        read_coco(file, tmp_path)
    file.parent.mkdir()
    file.write_text('{"images": [1,\n 2,, 3]}')
    with pytest.raises(user_error, match=r"not JSON \(line 2, column 4: Expecting"):
        read_coco(file, tmp_path)
    file.write_bytes(b'{"images": "\xff"}')
    with pytest.raises(user_error, match=r"not UTF-8 text \(byte 12\)"):
        read_coco(file, tmp_path)
    file.write_text("[1, 2]")
    with pytest.raises(user_error, match="the top level is a list, not an object"):
        read_coco(file, tmp_path)
    write_split(tmp_path, "train", crafted())
    (tmp_path / "train" / "sub" / "b.png").unlink()
    (tmp_path / "train" / "empty.png").unlink()
    with pytest.raises(user_error) as raised:
        read_coco(file, tmp_path / "train")
    assert str(raised.value) == (
        f"{file}: images[1].file_name=sub/b.png is not in {tmp_path / 'train'} (2 of 3"
        " listed images are missing); place them there or remove their entries"
    )


# --- a coco folder as arrays -----------------------------------------------------------


def small_split(count: int, first_id: int = 1) -> dict:
    """`count` 10 x 12 images, image k holding one square of class k % 2."""
    square = {"bbox": [2, 2, 6, 6], "segmentation": [[2, 2, 7, 2, 7, 7, 2, 7]]}
    return {
        "images": [
            {"id": first_id + k, "file_name": f"{k}.png", "height": 10, "width": 12}
            for k in range(count)
        ],
        "annotations": [
            {"id": k + 1, "image_id": first_id + k, "category_id": 1 + k % 2, **square}
            for k in range(count)
        ],
        "categories": [{"id": 1, "name": "cat"}, {"id": 2, "name": "dog"}],
    }


def test_coco_folder_gives_arrays_and_carves_missing_splits(segpkg, tmp_path):
    load = segpkg.data.coco_folder.load_coco_folder
    write_split(tmp_path, "train", small_split(20))
    write_split(tmp_path, "val", small_split(3, first_id=100))
    loaded = load(tmp_path, 8, 3, 0.5, 0.25, 0)
    assert loaded.class_names == ["background", "cat", "dog"]
    images, masks = loaded.splits["train"]
    assert images.shape == (15, 3, 8, 8) and images.dtype == np.uint8
    assert masks.shape == (15, 8, 8) and set(np.unique(masks)) <= {0, 1, 2}
    assert loaded.splits["val"][0].shape == (3, 3, 8, 8)  # its own file: not carved
    assert loaded.splits["test"][0].shape == (5, 3, 8, 8)
    assert loaded.notes["carved_from_train"] == {"test": 5}
    assert loaded.notes["train"]["dropped_boxes"] == 0
    gray = load(tmp_path, 6, 1, 0.5, 0.25, 0)
    assert gray.splits["train"][0].shape == (15, 1, 6, 6)
    (tmp_path / "annotations" / "val.json").unlink()
    same, other = load(tmp_path, 8, 3, 0.2, 0.2, 3), load(tmp_path, 8, 3, 0.2, 0.2, 4)
    assert same.notes["carved_from_train"] == {"test": 4, "val": 4}
    assert all(len(same.splits[s][1]) == n for s, n in [("train", 12), ("val", 4)])

    def ids(loaded):  # which image went where: each image is its id's gray value
        return {
            s: arrays[0][:, 0, 0, 0].tolist() for s, arrays in loaded.splits.items()
        }

    assert ids(same) == ids(load(tmp_path, 8, 3, 0.2, 0.2, 3)) != ids(other)
    assert sorted(np.concatenate(list(ids(same).values()))) == list(range(1, 21))
    assert ids(same)["train"] == sorted(ids(same)["train"])  # in the file's order


def test_coco_folder_masks_resize_by_nearest(segpkg, tmp_path):
    write_split(tmp_path, "train", small_split(4))
    loaded = segpkg.data.coco_folder.load_coco_folder(tmp_path, 20, 3, 0.25, 0.25, 0)
    masks = np.concatenate([arrays[1] for arrays in loaded.splits.values()])
    assert set(np.unique(masks)) == {0, 1, 2}  # no blend of 1 and 2 at the edges


def test_bad_coco_folders_end_in_one_line(segpkg, tmp_path):
    load, user_error = segpkg.data.coco_folder.load_coco_folder, segpkg.errors.UserError
    train = tmp_path / "annotations" / "train.json"
    with pytest.raises(user_error, match=f"^{train}: no such file; {tmp_path} should"):
        load(tmp_path, 8, 3, 0.1, 0.1, 0)
    write_split(tmp_path, "train", small_split(2))
    with pytest.raises(user_error, match="lists 2 images: too few to carve test and v"):
        load(tmp_path, 8, 3, 0.5, 0.5, 0)
    other = small_split(2)
    other["categories"][1]["name"] = "bird"
    val = write_split(tmp_path, "val", other)
    with pytest.raises(user_error) as raised:
        load(tmp_path, 8, 3, 0.1, 0.1, 0)
    assert str(raised.value) == (
        f"{val} lists the categories ['cat', 'bird'], but {train} lists ['cat', 'dog'];"
        " every split needs the same categories"
    )
    val.unlink()
    write_png(tmp_path / "train" / "1.png", 12, 10)  # height and width swapped
    with pytest.raises(user_error, match=r"1.png: 10x12 pixels, but its annotation"):
        load(tmp_path, 8, 3, 0.1, 0.1, 0)
    (tmp_path / "train" / "1.png").write_bytes(b"\x89PNG\r\n\x1a\n not a png")
    with pytest.raises(user_error, match=r"1.png: cannot read this image \("):
        load(tmp_path, 8, 3, 0.1, 0.1, 0)


# --- digit_canvas --------------------------------------------------------------------


@pytest.fixture(scope="session")
def canvas(segpkg, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("canvas") / "digit_canvas"
    segpkg.data.digit_canvas.write_digit_canvas(folder)
    return folder


def digests(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_digit_canvas_is_complete_and_read_by_the_coco_reader(segpkg, canvas):
    assert not (canvas.parent / "digit_canvas.part").exists()
    loaded = segpkg.data.coco_folder.load_coco_folder(canvas, 64, 3, 0.1, 0.1, 0)
    assert loaded.class_names == ["background", *"0123456789"]
    assert "carved_from_train" not in loaded.notes
    for split, count in {"train": 1500, "val": 300, "test": 300}.items():
        images, masks = loaded.splits[split]
        assert images.shape == (count, 3, 64, 64) and masks.shape == (count, 64, 64)
        assert (masks.reshape(count, -1).max(axis=1) > 0).all()  # a digit on each
        assert set(np.unique(masks)) == set(range(11))
        assert loaded.notes[split] == {
            "clipped_boxes": 0,
            "dropped_boxes": 0,
            "crowd_regions": 0,
            "empty_images": 0,
        }
    content = json.loads((canvas / "annotations" / "train.json").read_text())
    forms = {type(a["segmentation"]).__name__ for a in content["annotations"]}
    assert forms == {"list", "dict"}  # polygons and RLE: both reader paths run
    per_image = np.bincount([a["image_id"] for a in content["annotations"]])[1:]
    assert set(per_image) == {1, 2, 3}


def test_digit_canvas_boxes_are_tight_and_apart(segpkg, canvas):
    coco = segpkg.data.coco
    split = coco.read_coco(canvas / "annotations" / "val.json", canvas / "val")
    for image in split.images[:100]:
        painted = []
        for annotation in split.annotations[image["id"]]:
            mask = segpkg.data.coco_masks.annotation_mask(
                annotation["segmentation"], 64, 64
            )
            rows, columns = np.nonzero(mask)
            x, y, w, h = annotation["bbox"]
            assert (x, y) == (columns.min(), rows.min())
            assert (x + w, y + h) == (columns.max() + 1, rows.max() + 1)
            assert 8 <= max(w, h) <= 28  # the ink of a 16 to 28 px digit
            painted.append(mask)
        assert sum(m.sum() for m in painted) == np.logical_or.reduce(painted).sum()


def test_digit_canvas_test_digits_are_held_out(segpkg):
    seen, held_out = segpkg.data.digit_canvas.digit_pools()
    seen_images = {image.tobytes() for image in seen[0]}
    assert not any(image.tobytes() in seen_images for image in held_out[0])
    per_digit = np.bincount(held_out[1]) / np.bincount([*seen[1], *held_out[1]])
    assert np.allclose(per_digit, 0.2, atol=0.01)  # a stratified fifth


def test_digit_canvas_same_bytes_written_once(segpkg, canvas, tmp_path):
    write = segpkg.data.digit_canvas.write_digit_canvas
    before = {p: p.stat().st_mtime_ns for p in canvas.rglob("*.json")}
    write(canvas)  # complete: nothing written
    assert before == {p: p.stat().st_mtime_ns for p in canvas.rglob("*.json")}
    stale = tmp_path / "digit_canvas.part"
    stale.mkdir()
    (stale / "half.png").write_bytes(b"")  # a killed run's leftovers
    root = Path(segpkg.__file__).parents[1]
    code = (
        f"import sys; sys.path.insert(0, {str(root)!r}); import pathlib;"
        f" from {segpkg.__name__}.data.digit_canvas import write_digit_canvas;"
        f" write_digit_canvas(pathlib.Path({str(tmp_path / 'digit_canvas')!r}))"
    )
    writers = [  # two runs at once: one writes, the other waits for it
        subprocess.Popen([sys.executable, "-B", "-c", code], stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    assert [writer.communicate(timeout=120)[1] for writer in writers] == [b"", b""]
    assert [writer.returncode for writer in writers] == [0, 0]
    assert digests(tmp_path / "digit_canvas") == digests(canvas)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["digit_canvas"]
    (tmp_path / "other").mkdir()
    with pytest.raises(segpkg.errors.UserError, match="is not a complete digit_canv"):
        write(tmp_path / "other")


# --- scores --------------------------------------------------------------------------


def test_confusion_counts_pixels_and_skips_ignored(segpkg):
    scores = segpkg.segmentation_scores
    target = np.array([[0, 0, 1, 1], [2, 2, 255, 255]], dtype=np.uint8)
    pred = np.array([[0, 1, 1, 1], [2, 0, 2, 7]], dtype=np.uint8)
    confusion = scores.confusion_matrix(pred, target, 3)
    assert confusion.dtype == np.int64
    assert confusion.tolist() == [[1, 1, 0], [0, 2, 0], [1, 0, 1]]
    with pytest.raises(ValueError, match=r"a pred class outside 0\.\.2"):
        scores.confusion_matrix(pred, np.zeros_like(target), 3)


def test_scores_of_known_confusions(segpkg):
    scores = segpkg.segmentation_scores
    perfect = scores.segmentation_scores(np.diag([5, 3, 2]))
    assert perfect == {"miou": 1.0, "pixel_acc": 1.0, "iou": [1.0, 1.0, 1.0]}
    found = scores.segmentation_scores(np.array([[1, 1, 0], [0, 2, 0], [1, 0, 1]]))
    assert found["iou"] == pytest.approx([1 / 3, 2 / 3, 1 / 2])
    assert found["miou"] == pytest.approx((1 / 3 + 2 / 3 + 1 / 2) / 3)
    assert found["pixel_acc"] == pytest.approx(4 / 6)
    absent = scores.segmentation_scores(np.array([[4, 0, 0], [0, 0, 0], [1, 0, 0]]))
    assert np.isnan(absent["iou"][1]) and absent["iou"][2] == 0.0
    assert absent["miou"] == pytest.approx(0.8 / 2)  # class 1 is in neither
