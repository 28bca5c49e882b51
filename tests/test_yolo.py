"""The Lightning twin's YOLOv5 (models/yolo.py, yolo_loss.py, yolo_boxes.py): shapes,
the published parameter counts, YOLOv5's target assignment, the loss's gradients,
decoding, and a small model that learns to find digits pasted on canvases."""

import time

import numpy as np
import pytest
import torch
from sklearn.datasets import load_digits
from torchvision.ops import box_convert, box_iou

GOLDEN = "lightning-yolov5n-digit-canvas"


@pytest.fixture(scope="module")
def yolopkg(golden_package):
    """The detection golden's `models` package, with the three YOLO files imported."""
    for module in ("yolo", "yolo_loss", "yolo_boxes"):
        golden_package(GOLDEN, f"models.{module}")
    return golden_package(GOLDEN, "models")


@pytest.mark.parametrize("side", [64, 96])
def test_outputs_per_stride_anchor_and_cell(yolopkg, side):
    model = yolopkg.yolo.YOLOv5(num_classes=7, in_channels=1)
    outputs = model(torch.zeros(2, 1, side, side + 32))
    assert [tuple(o.shape) for o in outputs] == [
        (2, 3, side // s, (side + 32) // s, 12) for s in (8, 16, 32)
    ]
    assert model.strides.tolist() == [8, 16, 32]
    assert model.anchors.shape == (3, 3, 2) and model.anchors[2, 2].tolist() == [
        373,
        326,
    ]


def test_a_side_not_dividing_by_32_is_refused(yolopkg):
    with pytest.raises(ValueError, match="80x64 does not divide by 32"):
        yolopkg.yolo.YOLOv5(num_classes=3)(torch.zeros(1, 3, 80, 64))


@pytest.mark.parametrize("size, published", [("n", 1_872_157), ("s", 7_235_389)])
def test_parameter_counts_equal_yolov5s_published_ones(yolopkg, size, published):
    model = yolopkg.yolo.YOLOv5(num_classes=80, size=size)
    assert sum(p.numel() for p in model.parameters()) == published


def test_head_biases_start_from_yolov5s_priors(yolopkg):
    model = yolopkg.yolo.YOLOv5(num_classes=80)
    with torch.no_grad():
        outputs = model(torch.zeros(1, 3, 640, 640))
    # each anchor: about 8 objects per 640 px image at each stride; a class probability of 0.6/80
    for out in outputs:
        expected = 8 / (out.shape[2] * out.shape[3])
        assert out[..., 4].sigmoid().mean().item() == pytest.approx(expected, rel=0.5)
    assert outputs[0][..., 5:].sigmoid().mean().item() == pytest.approx(
        0.6 / 80, rel=0.5
    )


def test_a_box_is_assigned_to_its_cell_and_the_two_nearest_neighbours(yolopkg):
    model = yolopkg.yolo.YOLOv5(num_classes=5)
    # a 16x16 box centred at (19, 21) px: cell (2.375, 2.625) at stride 8, nearer the
    # left and the lower neighbours; all three stride-8 anchors are within 4x of it
    targets = torch.tensor([[1.0, 3.0, 19.0, 21.0, 16.0, 16.0]])
    pred = torch.zeros(2, 3, 8, 8, 10)
    image, anchor, y, x, target, label = yolopkg.yolo_loss.assign(
        targets, model.anchors[0] / 8, 8, pred
    )
    assert sorted(zip(anchor.tolist(), x.tolist(), y.tolist(), strict=True)) == sorted(
        (a, cx, cy) for a in range(3) for cx, cy in ((2, 2), (1, 2), (2, 3))
    )
    assert image.tolist() == [1] * 9 and label.tolist() == [3] * 9
    assert ((target[:, :2] > -0.5) & (target[:, :2] < 1.5)).all()
    assert torch.allclose(target[:, 2:], torch.tensor(2.0))
    # stride 32: the box is too small (116/16 > 4) for every anchor
    assert (
        len(yolopkg.yolo_loss.assign(targets, model.anchors[2] / 32, 32, pred)[0]) == 0
    )


def test_loss_is_finite_and_reaches_every_parameter(yolopkg):
    torch.manual_seed(0)
    model = yolopkg.yolo.YOLOv5(num_classes=4, in_channels=1)
    targets = torch.tensor([[0, 1, 20, 24, 18, 22], [1, 3, 40, 30, 60, 50.0]])
    loss, parts = yolopkg.yolo_loss.YoloLoss(model)(
        model(torch.rand(2, 1, 64, 64)), targets
    )
    assert loss.ndim == 0 and torch.isfinite(loss)
    assert set(parts) == {"box", "obj", "cls"} and all(v > 0 for v in parts.values())
    # YOLOv5's convention: the sum of the parts times the batch size
    assert loss.item() == pytest.approx(2 * sum(parts.values()).item())
    loss.backward()
    missing = [
        n for n, p in model.named_parameters() if p.grad is None or not p.grad.any()
    ]
    assert not missing


def test_boxes_outside_every_anchor_ratio_give_no_box_loss(yolopkg):
    model = yolopkg.yolo.YOLOv5(num_classes=4)
    # 2x2 px is more than 4x smaller than every anchor (the smallest is 10x13 px)
    targets = torch.tensor([[0, 1, 30, 30, 2, 2.0]])
    outputs = model(torch.rand(1, 3, 64, 64))
    _, parts = yolopkg.yolo_loss.YoloLoss(model)(outputs, targets)
    assert parts["box"] == 0 and parts["cls"] == 0 and parts["obj"] > 0
    # and images without any box: only the objectness loss, pushing it down
    _, parts = yolopkg.yolo_loss.YoloLoss(model)(outputs, torch.zeros(0, 6))
    assert parts["box"] == 0 and parts["cls"] == 0 and parts["obj"] > 0


def test_decode_gives_the_box_an_anchor_predicts(yolopkg):
    model = yolopkg.yolo.YOLOv5(num_classes=5)
    outputs = [torch.zeros(1, 3, 64 // s, 64 // s, 10) for s in (8, 16, 32)]
    for out in outputs:
        out[..., 4] = -20.0  # nothing anywhere...
    # ...but one stride-8 cell (x 3, y 2) whose second anchor (16x30 px) sees a 4; raw 0
    # for x, y, w, h means the cell's centre and the anchor's own size
    outputs[0][0, 1, 2, 3, 4] = outputs[0][0, 1, 2, 3, 5 + 4] = 20.0
    (found,) = yolopkg.yolo_boxes.decode(outputs, model, score_threshold=0.5)
    assert found.shape == (1, 6)
    assert found[0, :4].tolist() == [20.0, 5.0, 36.0, 35.0]
    assert found[0, 4].item() == pytest.approx(1.0) and found[0, 5].item() == 4


def test_one_class_is_scored_by_objectness_alone(yolopkg):
    model = yolopkg.yolo.YOLOv5(num_classes=1)
    outputs = [torch.full((1, 3, 64 // s, 64 // s, 6), -20.0) for s in (8, 16, 32)]
    outputs[1][0, 0, 1, 1, 4] = 20.0  # the class score stays low: it is never trained
    (found,) = yolopkg.yolo_boxes.decode(outputs, model, score_threshold=0.5)
    assert found[:, 4:].tolist() == [[pytest.approx(1.0), 0.0]]


def test_decode_keeps_boxes_inside_the_image_best_first(yolopkg):
    torch.manual_seed(0)
    model = yolopkg.yolo.YOLOv5(num_classes=3)
    outputs = [torch.randn(2, 3, h, w, 8) * 3 for h, w in ((8, 12), (4, 6), (2, 3))]
    detections = yolopkg.yolo_boxes.decode(outputs, model, 0.01, 0.6, max_detections=50)
    assert len(detections) == 2
    for found in detections:
        assert 0 < len(found) <= 50
        assert (found[:, [0, 2]] >= 0).all() and (found[:, [0, 2]] <= 96).all()
        assert (found[:, [1, 3]] >= 0).all() and (found[:, [1, 3]] <= 64).all()
        assert (found[:, 4].diff() <= 0).all() and (found[:, 4] > 0.01).all()
        assert set(found[:, 5].tolist()) <= {0.0, 1.0, 2.0}


def digit_canvases(count: int, side: int = 64, seed: int = 0):
    """`count` canvases, each with 1-3 scikit-learn digits upscaled to 16-28 px at
    places that do not overlap; targets as YoloLoss takes them."""
    rng, digits = np.random.default_rng(seed), load_digits()
    images, targets = np.zeros((count, 1, side, side), np.float32), []
    for index in range(count):
        placed = []
        for _ in range(rng.integers(1, 4)):
            size = int(rng.integers(16, 29))
            x, y = (int(v) for v in rng.integers(0, side - size, 2))
            if any(
                x < a + s and a < x + size and y < b + s and b < y + size
                for a, b, s in placed
            ):
                continue
            which = int(rng.integers(len(digits.images)))
            pixels = np.arange(size) * 8 // size  # nearest-neighbour upscaling
            images[index, 0, y : y + size, x : x + size] = (
                digits.images[which][pixels][:, pixels] / 16
            )
            placed.append((x, y, size))
            targets.append(
                [index, digits.target[which], x + size / 2, y + size / 2, size, size]
            )
    return torch.from_numpy(images), torch.tensor(targets, dtype=torch.float32)


def test_yolov5n_learns_to_find_digits_on_canvases(yolopkg):
    torch.manual_seed(0)
    images, targets = digit_canvases(16)
    model = yolopkg.yolo.YOLOv5(num_classes=10, size="n", in_channels=1)
    loss_of = yolopkg.yolo_loss.YoloLoss(model)
    optimizer = torch.optim.AdamW(model.parameters(), lr=0.004, weight_decay=0.0)
    steps, start = 200, time.monotonic()
    for _ in range(steps):
        loss, _ = loss_of(model(images), targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        detections = yolopkg.yolo_boxes.decode(model(images), model, 0.25, 0.45)
    truth = box_convert(targets[:, 2:6], "cxcywh", "xyxy")
    found = 0
    for row, box in zip(targets, truth, strict=True):
        guesses = detections[int(row[0])]
        right_class = guesses[:, 5] == row[1]
        found += bool(
            ((box_iou(box[None], guesses[:, :4])[0] > 0.5) & right_class).any()
        )
    print(
        f"{steps} steps in {time.monotonic() - start:.0f} s: found {found}/{len(targets)}"
    )
    assert found >= 0.8 * len(targets)
    # and not by guessing everywhere: few boxes beyond the digits themselves
    assert sum(len(d) for d in detections) <= 2 * len(targets)


PADDLE = "paddle-yolov5n-digit-canvas"


def test_the_twins_yolov5s_are_one_network_loss_and_decoding(
    yolopkg, golden_package, tmp_path, capsys
):
    """The Paddle YOLOv5 is the Lightning one layer for layer, name for name: a
    Lightning checkpoint's weights (BatchNorm statistics included) load into it by name
    and give the same outputs; the same boxes give the same loss, the same outputs the
    same boxes decoded."""
    import paddle
    from omegaconf import OmegaConf

    torch.manual_seed(0)
    reference = yolopkg.yolo.YOLOv5(num_classes=10)
    with torch.no_grad():  # statistics that are not the initial zeros and ones
        for layer in reference.modules():
            if isinstance(layer, torch.nn.BatchNorm2d):
                layer.running_mean.uniform_(-0.2, 0.2)
                layer.running_var.uniform_(0.5, 1.5)
    reference.eval()
    state = {f"net.{k}": v for k, v in reference.state_dict().items()}
    torch.save({"state_dict": state}, tmp_path / "best.ckpt")  # the Lightning layout
    images = np.random.default_rng(0).standard_normal((2, 3, 64, 64), np.float32)
    # image, class, cx, cy, w, h: small and large, one on a cell's border, one per image
    targets = np.array(
        [[0, 3, 20, 20, 10, 14], [0, 5, 40, 33, 30, 20], [1, 1, 8, 50, 6, 9]],
        np.float32,
    )
    with torch.no_grad():
        expected = reference(torch.from_numpy(images))
        expected_loss, _ = yolopkg.yolo_loss.YoloLoss(reference)(
            expected, torch.from_numpy(targets)
        )
        expected_boxes = yolopkg.yolo_boxes.decode(expected, reference)
    cfg = OmegaConf.create({"name": "yolov5n"})
    network = golden_package(PADDLE, "models").build_model(cfg, 3, 10, 64)
    pretrained = golden_package(PADDLE, "models.pretrained")
    pretrained.load_pretrained(network, "yolov5n", str(tmp_path / "best.ckpt"))
    assert "newly initialised" not in capsys.readouterr().err  # every tensor found
    network.eval()
    got = network(paddle.to_tensor(images))
    for mine, theirs in zip(got, expected, strict=True):
        assert mine.shape == list(theirs.shape)
        assert np.abs(mine.numpy() - theirs.numpy()).max() < 1e-4
    loss = golden_package(PADDLE, "models.yolo_loss").YoloLoss(network)(
        *got, paddle.to_tensor(targets)
    )
    assert float(loss) == pytest.approx(float(expected_loss), rel=1e-5)
    boxes = golden_package(PADDLE, "models.yolo_boxes").decode(got, network)
    for mine, theirs in zip(boxes, expected_boxes, strict=True):
        assert len(mine) == len(theirs) > 0
        assert np.array_equal(mine[:, 5].numpy(), theirs[:, 5].numpy())  # classes
        assert np.abs(mine[:, :5].numpy() - theirs[:, :5].numpy()).max() < 1e-3
    trainable = sum(int(p.size) for p in network.parameters() if not p.stop_gradient)
    assert trainable == sum(p.numel() for p in reference.parameters())
