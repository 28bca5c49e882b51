"""The twins agree: for every canonical spec emitted on both backends, the same files (but
the backend modules listed in docs/backends.md), configs, errors, metric names, run
records, batches per epoch, splits and parameter counts."""

import json
import os
import subprocess
import sys

import pytest
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

from tests.conftest import run
from tests.goldens import ROOT, answers_of, golden_names

SPECS = sorted(
    name.removeprefix("paddle-")
    for name in golden_names()
    if name.startswith("paddle-") and f"lightning-{name[7:]}" in golden_names()
)
ONLY = {  # backend modules with no namesake in the twin (docs/backends.md)
    "lightning": {
        "models/torchvision_models.py",
        "quiet.py",
        "epoch_seeds.py",
        "checkpoint_io.py",
        "ddp_stops.py",
        "data/device_decode.py",
        "data/normalize.py",  # paddle normalises inside the model: data/transforms.py
        "task_module.py",  # what both LightningModules share; paddle has callbacks/
        "tracking/loggers.py",  # Lightning's loggers; paddle: tracking/trackers.py
        "progress.py",  # the epoch lines and bar; paddle: callbacks/progress.py
        "speed/lean.py",  # Lightning's per-step extras left out; paddle: lean_step.py
    },
    "paddle": {
        "launch.py",
        "lean_step.py",  # paddle.Model's training step without its per-step copies
        "callbacks/__init__.py",
        "callbacks/seeds.py",
        "callbacks/loggers.py",
        "callbacks/metrics.py",
        "callbacks/progress.py",
        "callbacks/watch.py",
        "models/vision_models.py",
        "models/efficientnet.py",
        "models/torch_weights.py",
        "tracking/trackers.py",  # wandb and mlflow runs fed by callbacks/loggers.py
    },
}
FEATURE_ONLY = {  # with --with export: each twin's own export steps (docs/export.md)
    "lightning": {"exporting/network.py"},  # the torch module exported
    "paddle": {"exporting/task.py"},  # the layer saved, outputs, metric per task
}
TASK_ONLY = {  # a task's modules with no namesake in the twin, by backend
    "segmentation": {
        "lightning": {
            "data/coco_data.py",  # serves detection too; paddle: data/segmentation_data.py
            "prediction_board.py",  # predicted masks in TensorBoard
            "configs/model/fcn_resnet50.yaml",  # torchvision's; not on paddle
        },
        "paddle": {
            "data/segmentation_data.py",
            "callbacks/prediction_board.py",  # Lightning: prediction_board.py
            # DeepLabV3 and LR-ASPP of our own (Lightning: torchvision's)
            "models/backbones.py",
            "models/deeplab.py",
            "models/lraspp.py",
        },
    },
    # Lightning only (torchvision's Mask R-CNN; paddle.vision has no detection models):
    # no Paddle golden yet, so what a Paddle twin would not mirror, for when it comes.
    "instance_segmentation": {
        "lightning": {
            "data/coco_data.py",
            "data/instance_data.py",
            "instance_segmenter.py",
            "detector.py",
            "models/torchvision_detectors.py",
            "configs/model/maskrcnn_resnet50_fpn.yaml",
            "configs/model/maskrcnn_resnet50_fpn_v2.yaml",
        },
        "paddle": set(),
    },
    "detection": {
        "lightning": {
            "data/coco_data.py",  # paddle: data/detection_data.py's own class
            "prediction_board.py",  # predicted boxes in TensorBoard
            # torchvision's detectors, and the adapter YOLOv5 shares their calls by
            "models/yolo_adapter.py",
            "models/torchvision_detectors.py",
            "configs/model/fasterrcnn_mobilenet_v3_large_320_fpn.yaml",
            "configs/model/fasterrcnn_resnet50_fpn.yaml",
            "configs/model/retinanet_resnet50_fpn.yaml",
            "configs/model/ssdlite320_mobilenet_v3_large.yaml",
        },
        "paddle": {
            "box_scores.py",  # Lightning scores with torchmetrics (pycocotools)
            "callbacks/prediction_board.py",  # Lightning: prediction_board.py
        },
    },
}
CLASSIFICATION_ONLY = {  # of the modules above: a segmentation project has none of them
    "models/torchvision_models.py",
    "data/device_decode.py",
    "models/vision_models.py",
    "models/efficientnet.py",
}
NAMES_THEIR_BACKEND = {
    ".github/workflows/ci.yml",  # installs torch from its CPU index; .ckpt or .pdparams
    "README.md",
    "configs/config.yaml",  # its comments name the checkpoint: best.ckpt or .pdparams
    "config/export_rules.py",  # each twin's export formats and ONNX operator sets
    "debugging/session.py",  # the frame holding the batch: a step, or paddle.Model's loop
    "environment.yml",  # requirements.txt's pins, each twin's own
    "eval.py",  # its usage names the checkpoint: best.ckpt or best.pdparams
    "predict.py",  # the same
    "stages.py",  # Paddle's stages count parameter names afresh (unique_name.guard)
    "__init__.py",
    "train.py",
    "{{_copier_conf.answers_file}}",
}
MISTAKES = [
    ["trainer.max_epoch=3"],
    ["data=cifar1O"],
    ["optimizer.lrr=0.1"],
    ["trainer.precision=fp16"],
    ["data.batch_size=0"],
    ["loggers=[wandb]"],
    ["checkpoint.monitor=val/accuracy"],
    ["seed"],
]


def package_of(root) -> str:
    return next(p.name for p in root.iterdir() if (p / "config").is_dir())


def files(root) -> set[str]:
    package = package_of(root)
    return {
        str(p.relative_to(root)).replace(f"{package}/", "", 1)
        for p in root.rglob("*")
        if p.is_file()
    }


def test_every_paddle_golden_has_a_lightning_twin():
    assert SPECS == [
        "lenet-digits",
        "lenet-mnist",
        "resnet18-cifar10",
        "resnet18-digits",
        "resnet18-imagefolder",
        "unet-digit-canvas",
        "yolov5n-digit-canvas",
    ]


@pytest.mark.parametrize("spec", SPECS)
def test_same_files_but_the_listed_backend_modules(spec, rendered):
    lightning = files(rendered(f"lightning-{spec}"))
    paddle = files(rendered(f"paddle-{spec}"))
    task = answers_of(f"paddle-{spec}")["task"]
    classification = task == "classification"
    only = {
        backend: names if classification else names - CLASSIFICATION_ONLY
        for backend, names in ONLY.items()
    }
    for backend, names in TASK_ONLY.get(task, {}).items():
        only[backend] = only[backend] | names
    if "export" in answers_of(f"paddle-{spec}")["features"]:
        for backend, names in FEATURE_ONLY.items():
            only[backend] = only[backend] | names
        if task == "detection":  # YOLOv5's and torchvision's; paddle: exporting/task.py
            only["lightning"] = only["lightning"] | {"exporting/detections.py"}
    assert lightning - paddle == only["lightning"]
    assert paddle - lightning == only["paddle"]


@pytest.mark.parametrize("spec", SPECS)
def test_shared_files_are_identical(spec, rendered):
    """Everything in blueprints/shared/ comes out byte-identical, but the two templates
    that name their framework."""
    shared = ROOT / "blueprints" / "shared"
    names = [
        str(p.relative_to(shared))
        .replace("{{ package_name }}/", "")
        .removesuffix(".jinja")
        for p in shared.rglob("*")
        if p.is_file()
    ]
    names = [n for n in names if n not in NAMES_THEIR_BACKEND]
    assert len(names) > 40
    lightning, paddle = rendered(f"lightning-{spec}"), rendered(f"paddle-{spec}")
    # A file of one twin only is the test above's (a task's model configs, say).
    names = [n for n in names if present(lightning, n) and present(paddle, n)]
    differing = [n for n in names if read(lightning, n) != read(paddle, n)]
    assert differing == []


def present(root, name: str) -> bool:
    return (root / name).exists() or (root / package_of(root) / name).exists()


def read(root, name: str) -> bytes:
    path = root / name if (root / name).exists() else root / package_of(root) / name
    return path.read_bytes()


@pytest.mark.parametrize("spec", ["resnet18-cifar10"])
def test_same_composed_config_and_the_same_errors(spec, rendered):
    for args in [["--print-config"], *MISTAKES]:
        answers = [
            subprocess.run(
                [sys.executable, "train.py", *args],
                cwd=rendered(f"{backend}-{spec}"),
                capture_output=True,
                text=True,
                check=False,
                env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
            )
            for backend in ("lightning", "paddle")
        ]
        lightning, paddle = answers
        assert (lightning.returncode, lightning.stdout, lightning.stderr) == (
            paddle.returncode,
            paddle.stdout,
            paddle.stderr,
        ), args
        assert lightning.returncode == (0 if args == ["--print-config"] else 2)


@pytest.mark.parametrize("script", ["train.py", "eval.py", "export.py"])
def test_a_home_path_left_unexpanded_by_the_shell_is_the_home_folder(
    script, rendered, tmp_path
):
    """`key=~/path` arrives as typed from zsh or in quotes (bash expands it): every
    script reads ~ as the home folder, on both twins, and no folder named ~ appears."""
    for backend in ("lightning", "paddle"):
        project = rendered(f"{backend}-resnet18-digits")
        args = ["data.root=~/pics", "ckpt_path=~/runs/x/checkpoints/none"]
        result = run([script, *args], project, env={"HOME": str(tmp_path)})
        assert result.returncode == 2, result.stderr
        assert f"ckpt_path={tmp_path}/runs/x/checkpoints/none:" in result.stderr
        assert "~" not in result.stderr and not (project / "~").exists()
        shown = run(
            ["train.py", *args[:1], "--print-config"],
            project,
            env={"HOME": str(tmp_path)},
        )
        assert f"root: {tmp_path}/pics" in shown.stdout, shown.stderr


def test_a_home_path_in_a_config_file_is_the_home_folder(golden_copy, tmp_path):
    """`root: ~/pics` written in a YAML file, and in a mix's sources: the home folder's
    (an interpolation is left as it resolves)."""
    project = golden_copy("lightning-lenet-digits")
    (project / "configs" / "env" / "home.yaml").write_text(
        "data:\n  root: ~/pics\noutput_dir: ~/runs\n"
    )
    shown = run(
        ["train.py", "env=home", "--print-config"], project, env={"HOME": str(tmp_path)}
    )
    assert f"root: {tmp_path}/pics" in shown.stdout, shown.stderr
    assert f"output_dir: {tmp_path}/runs" in shown.stdout
    sources = "data.sources=[{name: imagefolder, root: ~/a, weight: 1}, {name: digits, weight: 1}]"
    mixed = run(
        ["train.py", "data=mix", sources, "--print-config"],
        project,
        env={"HOME": str(tmp_path)},
    )
    assert f"root: {tmp_path}/a" in mixed.stdout, mixed.stderr
    (tmp_path / "cfg.yaml").write_text(shown.stdout)  # --config '~/cfg.yaml', quoted
    again = run(
        ["train.py", "--config", "~/cfg.yaml", "--print-config"],
        project,
        env={"HOME": str(tmp_path)},
    )
    assert f"output_dir: {tmp_path}/runs" in again.stdout, again.stderr


FEW = "data.val_fraction=0.9"  # 144 training digits: 5 batches of 32, the last short


def test_same_records_metrics_batches_and_parameters(golden_copy):
    records, metrics, tags = {}, {}, {}
    for backend in ("lightning", "paddle"):
        project = golden_copy(f"{backend}-resnet18-digits")
        result = run(
            ["train.py", "trainer=debug", "trainer.limit_train_batches=1.0", FEW],
            project,
        )
        assert result.returncode == 0, result.stderr
        (run_dir,) = (project / "runs").iterdir()
        records[backend] = json.loads((run_dir / "record.json").read_text())
        metrics[backend] = json.loads((run_dir / "metrics.json").read_text())
        events = EventAccumulator(str(run_dir / "tensorboard"))
        events.Reload()
        tags[backend] = {
            tag: [e.step for e in events.Scalars(tag)]
            for tag in events.Tags()["scalars"]
        }
    lightning, paddle = records["lightning"], records["paddle"]
    assert set(lightning) == set(paddle)
    for part in ("data", "hardware"):
        assert set(lightning[part]) == set(paddle[part]), part
    assert lightning["data"] == paddle["data"]  # same split sizes, shape, root
    assert (
        lightning["model"]
        == paddle["model"]
        == {"name": "resnet18", "parameters": 11172810}
    )
    assert lightning["batches_per_epoch"] == paddle["batches_per_epoch"] == 5
    assert set(metrics["lightning"]) == set(metrics["paddle"])
    assert set(tags["lightning"]) == set(tags["paddle"])  # the same TensorBoard tags
    for tag in ("train/lr", "train/loss", "val/acc"):  # logged at the same steps
        assert tags["lightning"][tag] == tags["paddle"][tag], tag
