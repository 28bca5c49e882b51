"""torchvision's detectors (Faster R-CNN, RetinaNet, SSDlite) in the detection project
and Mask R-CNN in the instance segmentation project (Lightning): each detector learns a
batch through its adapter and its eval-mode answers feed COCO's mAP, a COCO-shaped local
weights file fine-tunes (the class heads start fresh), the eval-mode network scripts for
export, and the instance project trains from such a file, scores masks and boxes,
predicts and draws, and reports (Mask R-CNN learning a batch: that project's own
tests). Small: 64 px, few steps."""

import json
import shutil

import numpy as np
import pytest
import torch
from PIL import Image

from tests.conftest import run
from tests.messages import TRAIN, assert_one_documented_line
from tests.test_report import assert_boxes_reported

DETECTION = "lightning-yolov5n-digit-canvas"
INSTANCES = "lightning-maskrcnn-digit-canvas"
SIZE, CLASSES = 64, 10
SMALL = [
    "trainer=debug",
    "trainer.enable_progress_bar=false",
    "trainer.limit_train_batches=2",
    "trainer.limit_val_batches=1",
    "trainer.limit_test_batches=1",
    "data.batch_size=2",
]
FASTER = "fasterrcnn_mobilenet_v3_large_320_fpn"
DETECTORS = [
    FASTER,
    "fasterrcnn_resnet50_fpn",
    "retinanet_resnet50_fpn",
    "ssdlite320_mobilenet_v3_large",
]


def squares(count: int) -> tuple[torch.Tensor, list[dict]]:
    """`count` dark 64 px images, each with two bright squares of known classes: the
    boxes a detector should find (normalised as the data module would)."""
    images = torch.full((count, 3, SIZE, SIZE), -1.0)
    targets = []
    for index in range(count):
        corners = [(4 + 3 * index, 6), (30, 28 + 2 * index)]
        for x, y in corners:
            images[index, :, y : y + 24, x : x + 24] = 1.0
        boxes = [[x, y, x + 24, y + 24] for x, y in corners]
        labels = torch.tensor([index % CLASSES, (index + 3) % CLASSES])
        targets.append({"boxes": torch.tensor(boxes, dtype=torch.float32)})
        targets[-1]["labels"] = labels
    return images, targets


def build(golden_package, name: str):
    """The detection project's LightningModule for model `name`, as train.py builds it."""
    names = [str(digit) for digit in range(CLASSES)]
    data = {"channels": 3, "image_size": SIZE, "class_names": names}
    detector = golden_package(DETECTION, "detector").Detector
    return detector({"model": {"name": name, "pretrained": False}}, data)


@pytest.mark.parametrize("name", DETECTORS)  # Mask R-CNN: its project's own tests
def test_a_batch_is_learned_and_its_detections_are_scored(golden_package, name):
    torch.manual_seed(0)
    model = build(golden_package, name)
    images, targets = squares(2)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4)
    losses = []
    for _ in range(4):
        optimizer.zero_grad()
        loss = model.adapter.train_loss(images, targets)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert all(np.isfinite(losses)) and losses[-1] < losses[0], losses
    model.eval()
    loss, found = model.adapter.evaluate(images, targets)
    assert torch.isfinite(loss) and not model.net.training
    assert len(found) == 2 and {"boxes", "scores", "labels"} <= set(found[0])
    assert all(((f["labels"] >= 0) & (f["labels"] < CLASSES)).all() for f in found)
    model.scores.update(model.scored(found), model.scored(targets))
    assert 0 <= float(model.scores.compute()["map"]) <= 1


def test_a_coco_shaped_weights_file_fine_tunes_with_fresh_class_heads(
    golden_package, tmp_path, capsys
):
    """What torchvision's COCO file holds, in shape: 91 classes (80 and gaps and the
    background); the project has 10 (and the background)."""
    import torchvision

    coco = torchvision.models.get_model(
        FASTER, weights=None, weights_backbone=None, num_classes=91
    )
    weights = tmp_path / "coco.pth"
    torch.save(coco.state_dict(), weights)
    model = build(golden_package, FASTER)
    pretrained = golden_package(DETECTION, "models.pretrained")
    pretrained.load_pretrained(model.net, FASTER, str(weights))
    mine, theirs = model.net.state_dict(), coco.state_dict()
    heads = {k for k in theirs if k.startswith("roi_heads.box_predictor.")}
    assert len(heads) == 4
    for key, tensor in theirs.items():
        if key in heads:
            assert mine[key].shape[0] in (CLASSES + 1, 4 * (CLASSES + 1))
        else:
            assert torch.equal(mine[key], tensor), key
    said = capsys.readouterr().err
    assert f"pretrained: loaded {len(theirs) - 4} tensors" in said
    assert "newly initialised: roi_heads.box_predictor.bbox_pred.bias" in said


def test_the_eval_mode_network_scripts_for_export(golden_package):
    """TorchScript (torch.jit.script: torchvision's detectors support it, and onnx is
    not installed here): the scripted network answers as the eager one."""
    torch.manual_seed(0)
    net = build(golden_package, FASTER).net.eval()
    images, _ = squares(1)
    scripted = torch.jit.script(net)
    with torch.no_grad():
        (eager,) = net(list(images))
        _, (answer,) = scripted(list(images))
    assert answer.keys() == eager.keys() == {"boxes", "scores", "labels"}
    for key in eager:
        assert torch.allclose(answer[key].float(), eager[key].float())


@pytest.fixture(scope="module")
def instance_run(tmp_path_factory, rendered):
    """The instance project after a tiny run, from a COCO-shaped Mask R-CNN file,
    its training batches augmented by every op (objects' masks move with them)."""
    import torchvision

    project = tmp_path_factory.mktemp("instances") / INSTANCES
    shutil.copytree(rendered(INSTANCES), project)
    coco = torchvision.models.get_model(
        "maskrcnn_resnet50_fpn", weights=None, weights_backbone=None, num_classes=91
    )
    weights = project / "coco.pth"
    torch.save(coco.state_dict(), weights)
    args = [*SMALL, f"model.pretrained={weights}", "data.augment=mosaic"]
    result = run(["train.py", *args], project)
    assert result.returncode == 0, result.stderr
    assert "newly initialised: roi_heads.box_predictor.bbox_pred.bias" in result.stderr
    assert "roi_heads.mask_predictor.mask_fcn_logits.weight" in result.stderr
    (run_dir,) = (project / "runs").iterdir()
    return project, run_dir


def test_the_instance_project_records_mask_and_box_scores(instance_run):
    _, run_dir = instance_run
    metrics = json.loads((run_dir / "metrics.json").read_text())
    names = ["map", "map50", "map75", "map_box", "map50_box", "map75_box"]
    for stage in ("val", "test"):
        for name in names:
            assert 0 <= metrics[f"{stage}/{name}"] <= 1
    assert metrics["train/loss"] > 0 and metrics["val/loss"] > 0


def test_the_instance_report_shows_pr_curves_and_the_boxes_found(
    instance_run, golden_package
):
    _, run_dir = instance_run
    with np.load(run_dir / "test_outputs.npz") as saved:
        # the masks for the pictures (a run this short shows none: tinting is
        # checked on hand-made objects below)
        assert "objects" in saved.files
    assert_boxes_reported(run_dir, golden_package(INSTANCES, "reporting.boxes"))


def test_the_report_tints_each_object_shown_in_its_class_colour(golden_package):
    boxes = golden_package(INSTANCES, "reporting.boxes")
    objects = np.zeros((1, 64, 64), np.uint8)
    objects[0, 16:48, 16:48] = 1 + 3  # class 3's object over the middle half
    outputs = {
        "images": np.full((1, 64, 64, 3), 128, np.uint8),
        "found_boxes": np.array([[0, 0.25, 0.25, 0.75, 0.75, 0.9, 3]]),
        "objects": objects,
    }
    names = [str(digit) for digit in range(CLASSES)]
    grid = np.asarray(boxes.box_pictures(outputs, names))
    colour = boxes.palette(len(names) + 1)[1 + 3].astype(int)
    assert (grid[96, 96] == (128 + colour) // 2).all()  # the middle: tinted half
    assert (grid[10, 10] == 128).all() and (grid[96, 180] == 128).all()


def test_predict_draws_objects_and_lists_rle_masks(instance_run, tmp_path):
    project, run_dir = instance_run
    canvas = sorted((project / "data" / "digit_canvas" / "test").iterdir())[0]
    out = tmp_path / "out"
    best = run_dir / "checkpoints" / "best.ckpt"
    args = [f"ckpt_path={best}", f"inputs={canvas}", f"out={out}"]
    result = run(["predict.py", *args], project)
    assert result.returncode == 0, result.stderr
    (record,) = json.loads((out / "predictions.json").read_text())["images"]
    picture = np.asarray(Image.open(out / record["outputs"][0]))
    assert picture.shape == np.asarray(Image.open(canvas)).shape and picture.any()
    for found in record["objects"]:  # a tiny run may find nothing yet
        assert set(found["segmentation"]) == {"size", "counts"}
        assert found["category"] in [str(digit) for digit in range(CLASSES)]


def test_an_object_is_tinted_boxed_named_and_listed(golden_package, tmp_path):
    pictures = golden_package(INSTANCES, "instance_pictures")
    image = tmp_path / "grey.png"
    Image.new("RGB", (200, 100), (128, 128, 128)).save(image)
    mask = np.zeros((64, 64), dtype=np.uint8)
    mask[16:48, 16:48] = 1  # the middle half, as the box says
    objects = {
        "boxes": np.array([[0.25, 0.25, 0.75, 0.75]], dtype=np.float32),
        "scores": np.array([0.9], dtype=np.float32),
        "labels": np.array([3]),
        "masks": mask[None],
    }
    names = [str(digit) for digit in range(CLASSES)]
    record = pictures.write_outputs(tmp_path, image, objects, names)
    (found,) = record["objects"]
    assert found["bbox"] == [50.0, 25.0, 100.0, 50.0] and found["category"] == "3"
    assert found["segmentation"]["size"] == [100, 200]
    picture = np.asarray(Image.open(tmp_path / record["outputs"][0]))
    assert (picture[50, 100] != 128).any() and (picture[90, 190] == 128).all()


def test_a_gray_project_is_refused_in_one_line(instance_run):
    """torchvision's detectors take RGB: one line, and no run left behind."""
    project, run_dir = instance_run
    result = run(["train.py", *SMALL, "data.channels=1"], project)
    assert result.returncode == 2, result.stderr
    message = assert_one_documented_line(result.stderr, TRAIN)
    assert "takes RGB images: set data.channels=3" in message
    assert list((project / "runs").iterdir()) == [run_dir]
