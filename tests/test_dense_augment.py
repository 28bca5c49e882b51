"""data.augment of segmentation and detection (data/dense_augment.py, shared by the
twins): boxes frame their objects after a flip, a zoom and a mosaic; masks stay aligned
with their pixels, and so do instance segmentation's objects' masks and boxes; boxes pushed out of the frame are dropped; the same seed and epoch
give the same batch, another epoch another; every bad form is refused in one line; a
project trains with mosaic on both segmentation twins and the Lightning detector."""

import json

import numpy as np
import pytest
import yaml

from tests.conftest import run
from tests.messages import TRAIN, assert_one_documented_line

SEGMENTATION = {
    "lightning": "lightning-unet-digit-canvas",
    "paddle": "paddle-unet-digit-canvas",
}
DETECTION = "lightning-yolov5n-digit-canvas"
SIZE = 64
MOVES = {  # each op that moves pixels, always applied
    "HorizontalFlip": [{"HorizontalFlip": {"p": 1}}],
    "ScaleTranslate": [{"ScaleTranslate": {"scale": [0.6, 1.6], "translate": 0.2}}],
    "Mosaic": [{"Mosaic": {}}],
    "all": [{"Mosaic": {}}, {"HorizontalFlip": {}}, {"ScaleTranslate": {}}],
}


@pytest.fixture(scope="module")
def dense(golden_package):
    """The shared module, from the Lightning detection project (the twins link one file)."""
    return golden_package(DETECTION, "data.dense_augment")


def ops_of(golden_package, augment):
    return golden_package(DETECTION, "data.dense_ops").dense_ops(augment)


def painted_boxes(count: int, seed: int = 0):
    """`count` black RGB images, each with 1 to 3 rectangles that do not overlap, each
    painted in a value of its own; its box's class column holds that value."""
    rng = np.random.default_rng(seed)
    images = np.zeros((count, 3, SIZE, SIZE), dtype=np.uint8)
    tables, value = [], 20
    for image in images:
        rows = []
        for left in rng.permutation([2, 22, 42])[: rng.integers(1, 4)]:
            top, width, height = rng.integers(2, 30), *rng.integers(6, 19, size=2)
            image[:, top : top + height, left : left + width] = value
            rows.append([value, left, top, left + width, top + height])
            value += 3
        tables.append(np.float32(rows))
    return images, tables


def frames(image: np.ndarray, value: float, box) -> bool:
    """The box frames the object painted `value`: every pixel a pixel inside its edges
    shows it, none a pixel outside them does (nearest neighbour: a pixel's leeway)."""
    x1, y1, x2, y2 = box
    left, top, right, bottom = int(x1), int(y1), int(np.ceil(x2)), int(np.ceil(y2))
    plane = image[0]
    inside = plane[top + 1 : bottom - 1, left + 1 : right - 1]
    rows, cols = slice(top + 1, bottom - 1), slice(left + 1, right - 1)
    around = [
        plane[rows, left - 2] if left >= 2 else None,
        plane[rows, right + 1] if right + 1 < SIZE else None,
        plane[top - 2, cols] if top >= 2 else None,
        plane[bottom + 1, cols] if bottom + 1 < SIZE else None,
    ]
    return bool(np.all(inside == value)) and not any(
        edge is not None and np.any(edge == value) for edge in around
    )


@pytest.mark.parametrize("name", MOVES)
def test_boxes_still_frame_their_objects_after_each_op(dense, golden_package, name):
    images, tables = painted_boxes(12)
    ops = ops_of(golden_package, MOVES[name])
    for seed in range(4):
        out, boxes = dense.augment_batch(images, tables, seed, ops)
        assert out.shape == images.shape and out.dtype == np.uint8
        assert len(boxes) == len(images) and not np.array_equal(out, images)
        for image, table in zip(out, boxes, strict=True):
            assert table.dtype == np.float32 and table.shape[1] == 5
            for value, *box in table:
                assert box[2] - box[0] >= 2 and box[3] - box[1] >= 2  # else dropped
                assert frames(image, value, box), (name, seed, value, box)


def test_a_flip_mirrors_boxes_exactly(dense):
    images, tables = painted_boxes(3)
    out, boxes = dense.augment_batch(images, tables, 0, [("HorizontalFlip", {"p": 1})])
    assert np.array_equal(out, images[..., ::-1])
    for before, after in zip(tables, boxes, strict=True):
        assert np.array_equal(after[:, [1, 3]], SIZE - before[:, [3, 1]])
        assert np.array_equal(after[:, [0, 2, 4]], before[:, [0, 2, 4]])


@pytest.mark.parametrize("name", [*MOVES, "ColorJitter"])
def test_masks_stay_aligned_with_their_pixels(dense, golden_package, name):
    """Each pixel's value says its class (40 x class, in every channel): after the op,
    every pixel still shows its mask's class, or, from outside the image, the fill
    (gray) over a mask that counts for nothing (255)."""
    rng = np.random.default_rng(1)
    masks = rng.integers(0, 6, size=(8, SIZE, SIZE)).astype(np.uint8)
    images = np.repeat(masks[:, None] * 40, 3, axis=1).astype(np.uint8)
    augment = MOVES.get(name, [{"ColorJitter": {}}])
    ops = ops_of(golden_package, augment)
    out, labels = dense.augment_batch(images, masks, 3, ops)
    assert labels.shape == masks.shape and labels.dtype == np.uint8
    if name == "ColorJitter":  # colours change, the masks do not
        assert np.array_equal(labels, masks) and not np.array_equal(out, images)
        return
    outside = labels == 255
    assert np.all(out[:, 0][~outside] == labels[~outside] * 40)
    assert np.all(out[:, :][np.repeat(outside[:, None], 3, axis=1)] == 114)
    assert not np.array_equal(labels, masks)


@pytest.mark.parametrize("name", [*MOVES, "ColorJitter"])
def test_objects_masks_and_boxes_move_with_their_pixels(dense, golden_package, name):
    """Instance segmentation's objects (a box and a mask each): after the op each
    object's mask covers pixels painted its value only, all of them but where a mosaic
    drew the same image twice, and its box frames its mask; ColorJitter moves nothing.
    """
    images, tables = painted_boxes(12)
    objects = [
        {"boxes": table, "masks": np.uint8([image[0] == v for v in table[:, 0]])}
        for image, table in zip(images, tables, strict=True)
    ]
    ops = ops_of(golden_package, MOVES.get(name, [{"ColorJitter": {}}]))
    for seed in range(4):
        out, found = dense.augment_batch(images, objects, seed, ops)
        assert len(found) == len(images) and out.shape == images.shape
        for image, before, after in zip(out, objects, found, strict=True):
            boxes, masks = after["boxes"], after["masks"]
            assert masks.dtype == np.uint8 and masks.shape == (len(boxes), SIZE, SIZE)
            if name == "ColorJitter":
                assert np.array_equal(masks, before["masks"])
                continue
            for (value, *box), mask in zip(boxes, masks, strict=True):
                shown = image[0] == value
                assert mask.any() and np.all(shown[mask == 1]), (name, seed, value)
                if "Mosaic" not in str(MOVES[name]):
                    assert np.array_equal(mask == 1, shown)
                rows, cols = np.nonzero(mask)
                drawn = [cols.min(), rows.min(), cols.max() + 1, rows.max() + 1]
                assert np.allclose(drawn, box, atol=1), (name, seed, drawn, box)


def test_boxes_moved_out_of_the_frame_are_dropped(golden_package):
    warp = golden_package(DETECTION, "data.dense_warp").warp
    image = np.zeros((1, SIZE, SIZE), dtype=np.uint8)
    boxes = np.float32(
        [
            [0, 0, 10, 10, 20],  # moved out whole
            [1, 38.5, 10, 51.5, 20],  # 1.5 of 13 pixels wide left: too thin
            [2, 16, 0, 53, 64],  # 3 of 37 pixels wide left: 8% of its area
            [3, 40, 10, 62, 30],  # 12 of 22 left: kept, cut at the edge
        ]
    )
    _, moved = warp(image, boxes, 1.0, -50, 0, (0, 0, SIZE, SIZE))
    assert moved.tolist() == [[3, 0, 10, 12, 30]]
    _, whole = warp(image, boxes, 1.0, 0, 0, (0, 0, SIZE, SIZE))
    assert np.array_equal(whole, boxes)


def test_the_same_seed_draws_the_same_batch_another_seed_another(dense, golden_package):
    images, tables = painted_boxes(8)
    ops = ops_of(golden_package, "mosaic")
    first, second = (dense.augment_batch(images, tables, 5, ops) for _ in range(2))
    other = dense.augment_batch(images, tables, 6, ops)
    assert np.array_equal(first[0], second[0])
    assert all(np.array_equal(a, b) for a, b in zip(first[1], second[1], strict=True))
    assert not np.array_equal(first[0], other[0])
    # the arguments are left as they were
    assert np.array_equal(images, painted_boxes(8)[0])


def test_a_lightning_epoch_augments_the_same_when_repeated(golden_package):
    """Each training batch draws from (seed, epoch, its images), the epoch passed on
    by the sampler as Lightning sets it: a resumed epoch sees the same, the next
    another."""
    import torch

    batches_module = golden_package(SEGMENTATION["lightning"], "data.augmented_batches")
    ops = ops_of(golden_package, "jitter")
    rng = np.random.default_rng(2)
    masks = torch.from_numpy(rng.integers(0, 3, (6, SIZE, SIZE)).astype(np.uint8))
    images = torch.from_numpy(rng.integers(0, 256, (6, 3, SIZE, SIZE)).astype(np.uint8))
    batches = batches_module.AugmentedMasks(
        images, masks, batches_module.BatchAugmentation(ops, seed=7)
    )
    order = batches_module.EpochOrder(batches, num_replicas=1, rank=0, seed=7)

    def epoch(number: int, indices=(0, 3, 5)):
        order.set_epoch(number)
        return batches.__getitems__(list(indices))

    again, later = epoch(1), epoch(2)
    assert all(torch.equal(a, b) for a, b in zip(epoch(1), again, strict=True))
    assert not torch.equal(again[0], later[0])
    assert not torch.equal(again[0], images[[0, 3, 5]])
    assert not torch.equal(epoch(1, (0, 3, 4))[0][0], again[0][0])  # other images


def test_a_paddle_batch_draws_from_the_epoch_s_numpy_seed(golden_package):
    data = golden_package(SEGMENTATION["paddle"], "data.augmented_batches")
    ops = ops_of(golden_package, "jitter")
    rng = np.random.default_rng(2)
    masks = rng.integers(0, 3, (6, SIZE, SIZE)).astype(np.uint8)
    images = rng.integers(0, 256, (6, 3, SIZE, SIZE)).astype(np.uint8)
    batches = data.AugmentedBatches(images, masks, ops=ops)

    def epoch(seed: int):
        np.random.seed(seed)
        return batches[[0, 3, 5]]

    again, later = epoch(1), epoch(2)
    assert all(np.array_equal(a, b) for a, b in zip(epoch(1), again, strict=True))
    assert not np.array_equal(again[0], later[0])
    assert not np.array_equal(again[0], images[[0, 3, 5]])


GOOD = ["none", "jitter", "jitter_flip", "mosaic", "[]", "[{Mosaic: null}]"]
BAD = {
    # wrong type
    "data.augment=3": "data.augment must be a preset (none, jitter, jitter_flip, mosaic)",
    "data.augment={Mosaic: {}}": "data.augment must be a preset",
    "data.augment=[Mosaic]": "data.augment[0] must map one op name to its arguments",
    "data.augment=[{Mosaic: {}, HorizontalFlip: {}}]": "data.augment[0] must map one",
    "data.augment=[{Mosaic: 0.5}]": "data.augment[0] Mosaic: its arguments must be a",
    # unknown names
    "data.augment=mosiac": "data.augment=mosiac is no preset. Did you mean mosaic?",
    "data.augment=[{Mosiac: {}}]": "data.augment[0]: there is no op Mosiac; closest: Mos",
    "data.augment=[{Flip: {}}]": "no op Flip; ops: Mosaic, HorizontalFlip, ScaleTransl",
    "data.augment=[{Mosaic: {prob: 1}}]": "Mosaic takes no argument 'prob'; its arg",
    # bad ranges
    "data.augment=[{HorizontalFlip: {p: 1.5}}]": "p=1.5 is not allowed: must be a prob",
    "data.augment=[{Mosaic: {p: -0.1}}]": "p=-0.1 is not allowed",
    "data.augment=[{Mosaic: {p: yes}}]": "p=True is not allowed",
    "data.augment=[{ScaleTranslate: {scale: [1.5, 0.5]}}]": "scale=[1.5, 0.5] is not a",
    "data.augment=[{ScaleTranslate: {scale: [0, 1]}}]": "0.01 <= low <= high <= 10",
    "data.augment=[{ScaleTranslate: {scale: [0.5, .inf]}}]": "data.augment[0].Scale",
    "data.augment=[{ScaleTranslate: {scale: [1e-300, 1]}}]": "scale=[1e-300, 1] is",
    "data.augment=[{ColorJitter: {hue: 0.1}}]": "ColorJitter takes no argument 'hue'",
    "data.augment=[{ScaleTranslate: {scale: 1.2}}]": "scale=1.2 is not allowed",
    "data.augment=[{ScaleTranslate: {translate: 0.8}}]": "from 0 to 0.5",
    "data.augment=[{ColorJitter: {brightness: 2}}]": "brightness=2 is not allowed",
}


@pytest.mark.parametrize("golden", [*SEGMENTATION.values(), DETECTION])
def test_every_bad_form_is_one_line_naming_the_entry(golden_package, golden):
    compose = golden_package(golden, "config.compose").compose
    user_error = golden_package(golden, "errors").UserError
    for good in GOOD:
        assert compose([f"data.augment={good}"]).data.augment == yaml.safe_load(good)
    for override, words in BAD.items():
        with pytest.raises(user_error) as refused:
            compose([override])
        message = str(refused.value)
        assert words in message and "\n" not in message, (override, message)


def test_the_defaults_never_flip_digits_and_mosaic_coco(golden_package):
    compose = golden_package(DETECTION, "config.compose").compose
    assert compose([]).data.augment == "none"
    assert compose(["data=coco"]).data.augment == "mosaic"


def test_a_bad_form_exits_2_with_no_run_directory(golden_copy):
    project = golden_copy(SEGMENTATION["lightning"])
    bad = "data.augment=[{ScaleTranslate: {scale: [2, 1]}}]"
    result = run(["train.py", "trainer=debug", bad], project)
    assert result.returncode == 2, result.stderr
    assert "scale=[2, 1] is not allowed" in assert_one_documented_line(
        result.stderr, TRAIN
    )
    assert not (project / "runs").exists()


@pytest.mark.parametrize("golden", [*SEGMENTATION.values(), DETECTION])
def test_a_project_trains_with_mosaic(golden_copy, golden):
    project = golden_copy(golden)
    args = ["trainer=debug", "trainer.limit_train_batches=2", "data.image_size=32"]
    args += [
        "data.batch_size=8",
        "data.augment=mosaic",
        "trainer.enable_progress_bar=false",
    ]
    result = run(["train.py", *args], project)
    assert result.returncode == 0, result.stderr
    (run_dir,) = (project / "runs").iterdir()
    assert (
        yaml.safe_load((run_dir / "config.yaml").read_text())["data"]["augment"]
        == "mosaic"
    )
    metrics = json.loads((run_dir / "metrics.json").read_text())
    assert np.isfinite(metrics["train/loss"])
