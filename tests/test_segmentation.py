"""The segmentation project (`gen new --task segmentation`) trains, evaluates and predicts
from COCO files, its own offline canvases or yours, and refuses bad input in one line, on
both twins, which score the same masks the same.
"""

import hashlib
import json
import re
import shutil
import tarfile
from pathlib import Path

import numpy as np
import pytest
from omegaconf import OmegaConf
from PIL import Image

from tests.conftest import predictions_shown, run
from tests.http_server import serve
from tests.messages import TRAIN, assert_one_documented_line

GOLDEN = "lightning-unet-digit-canvas"
TWINS = {"lightning": GOLDEN, "paddle": "paddle-unet-digit-canvas"}
DEBUG = ["trainer=debug", "trainer.enable_progress_bar=false"]
LEARN = ["data.image_size=32", "data.batch_size=8"]  # and EPOCHS
# Paddle's CPU convolutions run a U-Net step 2.4 times slower than torch's on one
# thread, more on two cores (BENCHMARKS.md), so its run is half as long, and held to
# the mean IoU that it reaches (measured: 0.53 and 0.19; every pixel background: 0.09).
EPOCHS = {"lightning": 6, "paddle": 3}
LEARN_MIOU = {"lightning": 0.4, "paddle": 0.15}
SCORES = {"val/loss", "val/miou", "val/pixel_acc", "test/loss", "test/miou"}


def only_run(project: Path) -> Path:
    (run_dir,) = (project / "runs").iterdir()
    return run_dir


def best_checkpoint(project: Path) -> Path:
    """best.ckpt (Lightning) or best.pdparams (Paddle) of the project's one run."""
    checkpoints = (only_run(project) / "checkpoints").glob("best.*")
    (best,) = [p for p in checkpoints if p.suffix in (".ckpt", ".pdparams")]
    return best


@pytest.fixture(scope="module", params=sorted(TWINS))
def trained(request, tmp_path_factory, rendered) -> Path:
    """Each twin's golden project after a short real run on digit_canvas (written on
    first use): canvases at half size and small batches, to learn in CI's time."""
    name = TWINS[request.param]
    project = tmp_path_factory.mktemp("segmentation") / name
    shutil.copytree(rendered(name), project)
    epochs = f"trainer.max_epochs={EPOCHS[request.param]}"
    args = [*LEARN, epochs, "trainer.enable_progress_bar=false"]
    result = run(["train.py", *args], project)
    assert result.returncode == 0, result.stderr
    return project


def test_a_short_run_learns_and_records_the_shared_metric_names(trained):
    run_dir = only_run(trained)
    metrics = json.loads((run_dir / "metrics.json").read_text())
    assert SCORES | {"train/loss", "test/pixel_acc"} <= set(metrics)
    # Every pixel background would score 1/11 mean IoU: the digits' classes are learned.
    learned = LEARN_MIOU[trained.name.split("-")[0]]
    assert metrics["test/miou"] > learned and metrics["test/pixel_acc"] > 0.95
    per_class = {k for k in metrics if k.startswith("test/iou/")}
    assert "test/iou/background" in per_class and len(per_class) == 11
    record = json.loads((run_dir / "record.json").read_text())
    assert record["data"]["train_size"] == 1500 and record["data"]["test_size"] == 300
    assert record["status"] == "finished"
    assert record["model"] == {"name": "unet", "parameters": 482_907}  # both twins
    written = trained / "data" / "digit_canvas"
    assert (written / "annotations" / "test.json").is_file()
    assert not list(written.parent.glob("*.part"))


def test_eval_gives_the_run_s_test_scores(trained):
    run_dir = only_run(trained)
    best = best_checkpoint(trained)
    result = run(["eval.py", f"ckpt_path={best}"], trained)
    assert result.returncode == 0, result.stderr
    metrics = json.loads((run_dir / "metrics.json").read_text())
    shown = rf"test/miou\s+{metrics['test/miou']:.4f}\n"
    assert re.search(shown, result.stdout)
    # then the table of each class's IoU, as the run recorded it (records/summary.py)
    assert re.search(r"\n  class\s+test/iou\n", result.stdout), result.stdout
    assert re.search(rf"\n  7\s+{metrics['test/iou/7']:.4f}\n", result.stdout)


def test_predict_writes_masks_pictures_and_rle(trained, tmp_path, golden_package):
    canvases = trained / "data" / "digit_canvas" / "test"
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    for source in sorted(canvases.iterdir())[:3]:
        shutil.copy(source, inputs / source.name)
    (inputs / "broken.png").write_bytes(b"not a picture")
    best = best_checkpoint(trained)
    out = tmp_path / "out"
    args = [f"ckpt_path={best}", f"inputs={inputs}", f"out={out}"]
    result = run(["predict.py", *args], trained)
    assert result.returncode == 0, result.stderr
    assert "broken.png" in result.stderr and len(result.stdout.splitlines()) == 4
    predictions = json.loads((out / "predictions.json").read_text())
    assert predictions["class_names"][0] == "background"
    masks = golden_package(GOLDEN, "data.coco_masks")
    for record in predictions["images"]:
        stem = Path(record["file"]).stem
        source = np.asarray(Image.open(record["file"]))
        mask = np.asarray(Image.open(out / f"{stem}_mask.png"))
        picture = np.asarray(Image.open(out / f"{stem}_overlay.png"))
        assert mask.shape == source.shape[:2] and picture.shape == source.shape
        assert mask.max() <= 10 and picture.std() > 10  # not blank
        assert not np.array_equal(picture, source)  # the digits are coloured over
        for segment in record["segments"]:
            index = predictions["class_names"].index(segment["category"])
            decoded = masks.rle_to_mask(segment["segmentation"], *mask.shape)
            assert np.array_equal(decoded, mask == index)


@pytest.mark.parametrize("backend", sorted(TWINS))
def test_train_py_writes_a_complete_run_with_each_option(golden_copy, backend):
    project = golden_copy(TWINS[backend])
    result = run(["train.py", *DEBUG, "optimizer=sgd", "scheduler=cosine"], project)
    assert result.returncode == 0, result.stderr
    metrics = json.loads((only_run(project) / "metrics.json").read_text())
    assert set(metrics) >= SCORES
    assert predictions_shown(only_run(project)) == (4 * 2 * 64, 64)  # each by its mask


def coco_folder(golden_package, folder: Path) -> Path:
    """A COCO folder of one's own, as a user would have it: digit canvases copied."""
    canvas = golden_package(GOLDEN, "data.digit_canvas")
    canvas.write_digit_canvas(folder / "written")
    shutil.copytree(folder / "written", folder / "mine")
    return folder / "mine"


def test_a_coco_folder_of_one_s_own_and_its_archive_by_url(
    golden_copy, golden_package, tmp_path
):
    mine = coco_folder(golden_package, tmp_path)
    shutil.rmtree(mine / "val")  # carved from train instead
    (mine / "annotations" / "val.json").unlink()
    project = golden_copy(GOLDEN)
    args = [*DEBUG, "data=coco", f"data.root={mine}", "data.image_size=32"]
    result = run(["train.py", *args], project)
    assert result.returncode == 0, result.stderr
    record = json.loads((only_run(project) / "record.json").read_text())
    assert record["data"]["val_size"] == 150 and record["data"]["image_shape"][1] == 32
    archive = tmp_path / "served" / "my_coco.tar.gz"
    archive.parent.mkdir()
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(mine, arcname="my_coco")
    sha256 = hashlib.sha256(archive.read_bytes()).hexdigest()
    shutil.rmtree(project / "runs")
    with serve(archive.parent) as url:
        by_url = [f"data.url={url}my_coco.tar.gz", f"data.sha256={sha256}"]
        args = [*DEBUG, "data=coco", "data.root=downloads", "data.image_size=32"]
        result = run(["train.py", *args, *by_url], project)
    assert result.returncode == 0, result.stderr
    assert (project / "downloads" / "my_coco" / "annotations" / "train.json").is_file()


def broken_annotations(folder: Path) -> str:
    """train.json with one annotation naming a category that does not exist."""
    path = folder / "annotations" / "train.json"
    coco = json.loads(path.read_text())
    coco["annotations"][3]["category_id"] = 99
    path.write_text(json.dumps(coco))
    return "annotations[3].category_id=99"


MISTAKES = [
    (["data.image_size=60"], "data.image_size=60: the U-Net halves it 3 times"),
    (["data=digits"], "no data option 'digits'"),
    (["checkpoint.monitor=val/acc"], "checkpoint.monitor=val/acc is not allowed"),
    (["data.augment=imagenet"], "data.augment"),
    (["data=digit_canvas", "data.url=https://host/x.zip"], "(data=coco)"),
    (["data=coco", "data.root=nowhere"], "nowhere"),
    (["data=coco", "BROKEN"], "annotations[3].category_id=99"),
    (["data.split_seed=-1"], "data.split_seed=-1 is not allowed: must be 0 to"),
]
PADDLE_CODE = {0, 5, 6}  # the mistakes found past the shared config code: both twins


@pytest.mark.parametrize(
    "backend, args, expected",
    [("lightning", *mistake) for mistake in MISTAKES]
    + [("paddle", *MISTAKES[i]) for i in sorted(PADDLE_CODE)],
)
def test_mistakes_end_in_one_line_and_leave_no_run(
    golden_copy, golden_package, tmp_path, backend, args, expected
):
    project = golden_copy(TWINS[backend])
    if "BROKEN" in args:
        mine = coco_folder(golden_package, tmp_path)
        broken_annotations(mine)
        args = [arg for arg in args if arg != "BROKEN"] + [f"data.root={mine}"]
    result = run(["train.py", *DEBUG, *args], project)
    assert result.returncode == 2, result.stderr
    message = assert_one_documented_line(result.stderr, TRAIN)
    assert expected in message
    assert not (project / "runs").exists()


def test_the_twins_score_the_same_masks_the_same(golden_package):
    """The Paddle metric and the Lightning segmenter's confusion matrix, fed the same
    predicted and true masks (crowd pixels, a class predicted but never true, one
    neither), give the same mean IoU, pixel accuracy and IoU per class."""
    import paddle
    import torch

    rng = np.random.default_rng(0)
    names = ["background", *"0123456789"]
    logits = rng.normal(size=(4, len(names), 16, 16)).astype(np.float32)
    logits[:, 5] = -100  # class "4": never predicted, and never true below
    masks = rng.choice([0, 1, 2, 3, 4, 6, 7, 8, 9], size=(4, 16, 16))  # "9": not true
    masks[:, :3] = 255  # crowd rows: not counted
    lightning = golden_package(TWINS["lightning"], "segmenter")
    compose = golden_package(TWINS["lightning"], "config.compose").compose
    config = OmegaConf.to_container(compose([]), resolve=True)
    data = {"channels": 3, "image_size": 16, "class_names": names}
    segmenter = lightning.Segmenter(config, data | {"mean": [0.5] * 3, "std": [1] * 3})
    for half in (slice(0, 2), slice(2, 4)):  # two batches, as an epoch accumulates
        predicted = torch.from_numpy(logits[half]).argmax(dim=1)
        segmenter.confusion.update(predicted, torch.from_numpy(masks[half]))
    expected = lightning.segmentation_scores(segmenter.confusion.compute().numpy())
    metric = golden_package(TWINS["paddle"], "segmenter").PixelScores(names)
    for half in (slice(0, 2), slice(2, 4)):
        batch = paddle.to_tensor(logits[half]), paddle.to_tensor(masks[half])
        metric.update(*(output.numpy() for output in metric.compute(*batch)))
    scores = dict(zip(metric.name(), metric.accumulate(), strict=True))
    assert scores["miou"] == expected["miou"]
    assert scores["pixel_acc"] == expected["pixel_acc"]
    per_class = [scores[f"iou/{name}"] for name in names]
    assert per_class == pytest.approx(expected["iou"], rel=0, abs=0, nan_ok=True)
    assert np.isnan(scores["iou/4"]) and scores["iou/9"] == 0
    assert 0 < scores["miou"] < 0.2 and 0 < scores["pixel_acc"] < 0.2  # random logits


def test_the_twins_u_nets_are_one_network(golden_package, tmp_path, capsys):
    """The Paddle U-Net is the Lightning one layer for layer, name for name: a Lightning
    checkpoint's weights (BatchNorm statistics included) load into it by name and give
    the same scores per pixel."""
    import paddle
    import torch

    cfg = OmegaConf.create({"name": "unet"})
    torch.manual_seed(0)
    reference = golden_package(TWINS["lightning"], "models").build_model(cfg, 3, 11, 32)
    with torch.no_grad():  # statistics that are not the initial zeros and ones
        for layer in reference.modules():
            if isinstance(layer, torch.nn.BatchNorm2d):
                layer.running_mean.uniform_(-0.2, 0.2)
                layer.running_var.uniform_(0.5, 1.5)
    reference.eval()
    state = {f"net.{k}": v for k, v in reference.state_dict().items()}
    torch.save({"state_dict": state}, tmp_path / "best.ckpt")  # the Lightning layout
    images = np.random.default_rng(0).standard_normal((2, 3, 32, 32), np.float32)
    with torch.no_grad():
        expected = reference(torch.from_numpy(images)).numpy()
    network = golden_package(TWINS["paddle"], "models").build_model(cfg, 3, 11, 32)
    pretrained = golden_package(TWINS["paddle"], "models.pretrained")
    pretrained.load_pretrained(network, "unet", str(tmp_path / "best.ckpt"))
    assert "newly initialised" not in capsys.readouterr().err  # every tensor found
    network.eval()
    got = network(paddle.to_tensor(images)).numpy()
    assert got.shape == (2, 11, 32, 32) and np.abs(got - expected).max() < 1e-4
    trainable = sum(int(p.size) for p in network.parameters() if not p.stop_gradient)
    assert trainable == sum(p.numel() for p in reference.parameters()) == 482_907


def test_the_twins_one_cycle_is_one_schedule(golden_package):
    """onecycle (the segmentation default) on Paddle moves the rate and Adam's beta1
    every step as torch's OneCycleLR on the Lightning twin does (paddle's own moves only
    the rate, with beta1 left at 0.9)."""
    import paddle
    import torch

    compose = golden_package(TWINS["paddle"], "config.compose").compose
    cfg = compose(["trainer.max_epochs=2"])
    optim = golden_package(TWINS["paddle"], "optim")
    optimizer, _ = optim.build_optimization(
        cfg, paddle.nn.Linear(2, 2).parameters(), 30
    )
    lightning = golden_package(TWINS["lightning"], "optim")
    reference = lightning.build_optimizer(
        torch.nn.Linear(2, 2).parameters(), cfg.optimizer
    )
    schedule = lightning.build_scheduler(reference, cfg.scheduler, 60, 30)
    betas = set()
    for _ in range(60):
        lr, (beta1, _) = (
            reference.param_groups[0]["lr"],
            reference.param_groups[0]["betas"],
        )
        assert optimizer.get_lr() == pytest.approx(lr, rel=1e-6)
        assert optimizer._beta1 == pytest.approx(beta1, rel=1e-9)
        betas.add(round(beta1, 3))
        reference.step()
        schedule.step()
        optimizer._learning_rate.step()  # as paddle.Model's LRScheduler callback does
        if len(betas) == 10:  # resumed here, from the optimizer's saved state
            state = optimizer.state_dict()
            parameters = paddle.nn.Linear(2, 2).parameters()
            optimizer, _ = optim.build_optimization(cfg, parameters, 30)
            optimizer.set_state_dict(state)
    assert min(betas) == 0.85 and max(betas) == 0.95


@pytest.mark.parametrize("pct_start", [0.1, 0.25, 0.3, 0.5])
def test_a_one_cycle_of_any_length_runs_alike_on_both_twins(golden_package, pct_start):
    """Runs of 1 to 12 optimizer steps (trainer=debug, a few batches, accumulation):
    torch's and paddle's one-cycle divide by zero where the rise is one step; both
    twins take it as half a step, alike."""
    import torch

    lightning = golden_package(TWINS["lightning"], "optim")
    paddle_optim = golden_package(TWINS["paddle"], "optim")
    cfg = golden_package(TWINS["paddle"], "config.compose").compose(
        ["scheduler=onecycle", f"scheduler.pct_start={pct_start}"]
    )
    for total in range(1, 13):
        reference = torch.optim.SGD(torch.nn.Linear(2, 2).parameters(), lr=0.1)
        schedule = lightning.build_scheduler(reference, cfg.scheduler, total, total)
        twin = paddle_optim.build_scheduler(cfg.scheduler, 0.1, total, total)
        for _ in range(total):
            lr = reference.param_groups[0]["lr"]
            assert twin.get_lr() == pytest.approx(lr, rel=1e-6), (total, pct_start)
            reference.step()
            schedule.step()
            twin.step()
