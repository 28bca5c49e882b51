"""export.py of the Lightning twin: every task's default network (and resnet18 on the
digits) exports to ONNX (and TorchScript) with its manifest, and verifies against its
checkpoint on real test images; a manifest whose normalisation is wrong is caught (exit
1, no export left); the exported model run by exporting/onnx_runner.py on image files
answers as predict.py; every bad value of every export key is refused in one line.
Projects trained a few steps (trainer=debug): verification compares outputs, and the
metric through both, whatever the weights."""

import hashlib
import io
import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import numpy as np
import pytest
from PIL import Image

from tests.conftest import run
from tests.messages import TRAIN, assert_one_documented_line
from tests.serving import serving

CLASSIFIER = "lightning-resnet18-digits"  # its golden spec carries the export feature
DEBUG = ["trainer=debug", "trainer.enable_progress_bar=false"]
SPECS = Path(__file__).parent.parent / "golden" / "specs"


def trained_project(folder: Path, extra: list[str] = ()) -> tuple[Path, Path]:
    """(the project, its best checkpoint) after a debug run."""
    result = run(["train.py", *DEBUG, *extra], folder)
    assert result.returncode == 0, result.stderr
    (run_dir,) = (folder / "runs").iterdir()
    return folder, run_dir / "checkpoints" / "best.ckpt"


def with_export(spec: str, out: Path, features: list[str] = ("export",)) -> Path:
    """Golden spec `spec` rendered with `features` on, into `out`."""
    lines = (SPECS / f"{spec}.yaml").read_text().splitlines(keepends=True)
    text = "".join(line for line in lines if not line.startswith("features:"))
    text += f"features: [{', '.join(features)}]\n"
    (out.parent / f"{spec}.yaml").write_text(text)
    gen = Path(sys.executable).parent / "gen"
    args = [gen, "new", "--spec", out.parent / f"{spec}.yaml", "--out", out]
    subprocess.run(args, check=True, capture_output=True)
    return out


@pytest.fixture(scope="module")
def classifier(tmp_path_factory, rendered) -> tuple[Path, Path]:
    project = tmp_path_factory.mktemp("export") / CLASSIFIER
    shutil.copytree(rendered(CLASSIFIER), project)
    return trained_project(project)


def export(project: Path, ckpt: Path, *args: str) -> subprocess.CompletedProcess:
    return run(["export.py", f"ckpt_path={ckpt}", *args], project)


def test_the_classifier_exports_verifies_and_answers_as_predict_py(
    classifier, tmp_path
):
    project, ckpt = classifier
    result = export(project, ckpt)
    assert result.returncode == 0, result.stderr
    folder = ckpt.parent.parent / "export"
    assert sorted(p.name for p in folder.iterdir()) == ["manifest.json", "model.onnx"]
    assert not folder.with_name("export.part").exists()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["format"] == "onnx" and manifest["task"] == "classification"
    assert manifest["input"]["shape"] == [None, 1, 8, 8]
    assert manifest["preprocess"]["mean"] == [0.3053]  # the digits' (registry.py)
    assert manifest["class_names"] == [str(d) for d in range(10)]
    digest = hashlib.sha256(ckpt.read_bytes()).hexdigest()
    assert manifest["source"] == {"checkpoint": str(ckpt), "sha256": digest}
    found = manifest["verification"]
    assert found["passed"] and found["batch_size"] == 5 and found["images"] == 64
    assert found["largest_difference"]["logits"] <= 1e-3
    assert abs(found["export"] - found["checkpoint"]) <= 0.001
    # image files of one's own through the manifest's preprocessing: predict.py's answers
    rng = np.random.default_rng(0)
    for index in range(7):
        pixels = rng.integers(0, 256, (20 + index, 13, 3), dtype=np.uint8)
        Image.fromarray(pixels).save(tmp_path / f"{index}.png")
    predicted = run(["predict.py", f"ckpt_path={ckpt}", f"inputs={tmp_path}"], project)
    assert predicted.returncode == 0, predicted.stderr
    script = (
        "import sys, glob; from resnet18_digits.exporting.onnx_runner import OnnxModel;"
        "from resnet18_digits.exporting.preprocess import decode_images;"
        "from resnet18_digits.exporting.postprocess import probabilities;"
        f"model = OnnxModel({str(folder)!r});"
        f"paths = sorted(glob.glob({str(tmp_path)!r} + '/*.png'));"
        "images = decode_images(paths, model.manifest['preprocess']);"
        "p = probabilities(model.run(model.prepare(images))[0]);"
        "names = model.manifest['class_names'];"
        "[print(f'{path}\\t{names[i.argmax()]}\\t{i.max():.4f}') for path, i in zip(paths, p)]"
    )
    exported = run(["-c", script], project)
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.splitlines() == predicted.stdout.splitlines()


def test_torchscript_and_a_folder_of_one_s_choice(classifier, tmp_path):
    project, ckpt = classifier
    out = tmp_path / "deploy" / "digits"
    args = ["export.format=torchscript", f"export.out={out}", "export.verify_images=9"]
    result = export(project, ckpt, *args)
    assert result.returncode == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["files"] == ["model.pt"] and manifest["opset"] is None
    assert manifest["verification"]["images"] == 9
    # again into the same folder: the older export is replaced whole
    result = export(project, ckpt, *args[:2], "export.verify=false")
    assert result.returncode == 0, result.stderr
    assert "NOT checked" in result.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["verification"] == {"skipped": "export.verify=false"}
    assert sorted(p.name for p in out.parent.iterdir()) == ["digits"]


def test_a_wrong_normalisation_in_the_manifest_is_caught(classifier, tmp_path):
    """The manifest's std made 10% off: verification fails, exit 1, one line, and no
    export (nor its .part folder) is left."""
    project, ckpt = classifier
    copy = tmp_path / "project"
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns("runs"))
    exporter = copy / "resnet18_digits" / "exporting" / "exporter.py"
    source = exporter.read_text()
    broken = '"std": [s * 1.1 for s in std]'
    exporter.write_text(source.replace('"std": list(std)', broken))
    assert broken in exporter.read_text()
    out = tmp_path / "export"
    result = export(copy, ckpt, f"export.out={out}")
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("error: verification failed: the export's logits")
    assert result.stderr.count("\n") == 1 and "test image" in result.stderr
    assert not out.exists() and not out.with_name("export.part").exists()


BAD = [
    ("export.format=paddle", "export.format=paddle is not allowed"),
    ("export.format=tflite", "export.format=tflite is not allowed"),
    ("export.opset=17", "export.opset=17 is not allowed: must be from 18 to 22"),
    ("export.opset=23", "export.opset=23 is not allowed"),
    ("export.batch_size=0", "export.batch_size=0 is not allowed: must be at least 1"),
    ("export.batch_size=-3", "export.batch_size=-3 is not allowed"),
    ("export.verify_batch_size=0", "export.verify_batch_size=0 is not allowed"),
    (
        "export.verify_batch_size=2",
        "export.verify_batch_size=2 equals export.batch_size",
    ),
    ("export.verify_images=0", "export.verify_images=0 is not allowed"),
    ("export.out=''", "export.out is empty: give a folder"),  # before torch loads
]
# Wrong types and unknown keys: OmegaConf's messages, made one line (config/explain.py)
BAD_TYPES = ["export.opset=x", "export.batch_size=1.5", "export.verify=maybe"]
BAD_TYPES += ["export.outt=x", "export.verify_images=[1]", "export=onnx"]


@pytest.mark.parametrize("arg, start", BAD)
def test_bad_export_keys_are_refused_in_one_line(classifier, arg, start):
    project, ckpt = classifier
    result = export(project, ckpt, "export.out=never", arg)
    assert result.returncode == 2, result.stderr
    message = assert_one_documented_line(result.stderr, TRAIN)
    assert message.startswith(start), message
    assert not (project / "never").exists()


@pytest.mark.parametrize("arg", BAD_TYPES)
def test_export_keys_of_the_wrong_type_are_refused_in_one_line(classifier, arg):
    project, ckpt = classifier
    result = export(project, ckpt, "export.out=never", arg)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert arg.split("=")[0] in result.stderr and "Traceback" not in result.stderr
    assert not (project / "never").exists()


def test_bad_checkpoints_and_folders_are_refused_in_one_line(classifier, tmp_path):
    project, ckpt = classifier
    (tmp_path / "file").write_text("not a folder")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "mine.txt").write_text("keep me")
    (project / "x.ckpt").write_bytes(b"\x00" * 10)
    cases = [
        ([], "give the checkpoint"),
        ([f"ckpt_path={tmp_path}/none.ckpt"], "ckpt_path="),
        (["ckpt_path=x.ckpt"], "is not a whole checkpoint"),
        ([f"ckpt_path={ckpt}", f"export.out={tmp_path}/file"], "is a file"),
        ([f"ckpt_path={ckpt}", f"export.out={tmp_path}/full"], "holds files but no"),
    ]
    for args, part in cases:
        result = run(["export.py", *args], project)
        assert result.returncode == 2, (args, result.stderr)
        assert part in assert_one_documented_line(result.stderr, TRAIN), args
    assert (tmp_path / "full" / "mine.txt").read_text() == "keep me"
    assert sorted(p.name for p in (tmp_path / "full").iterdir()) == ["mine.txt"]


def files_under(folder: Path) -> dict:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_folder_that_is_not_only_an_export_is_refused_and_kept(classifier, tmp_path):
    """A folder is replaced only when its manifest.json is an export's and it holds
    nothing else: a web app's manifest.json, or a checkpoint kept in an old export, is
    refused in one line, every file left as it was."""
    project, ckpt = classifier
    app = tmp_path / "app"
    (app / "src").mkdir(parents=True)
    (app / "src" / "main.js").write_text("x")
    (app / "manifest.json").write_text('{"name": "my pwa"}')
    (app / "index.html").write_text("<html>")
    old = tmp_path / "old"
    result = export(project, ckpt, f"export.out={old}", "export.verify=false")
    assert result.returncode == 0, result.stderr
    shutil.copy(ckpt, old / "best.ckpt")
    before = files_under(tmp_path)
    for folder, part in [(app, "is not an export's"), (old, "holds best.ckpt besides")]:
        result = export(project, ckpt, f"export.out={folder}")
        assert result.returncode == 2, result.stderr
        assert part in assert_one_documented_line(result.stderr, TRAIN)
    assert files_under(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app", "old"]


def test_user_folders_named_like_work_folders_stay_and_two_exports_both_end(
    classifier, tmp_path
):
    """export.py builds in a hidden folder of its own, `.<name>.<random>.part`: the
    user's `out.part` and `out.old` stay; two exports into one folder at once both
    succeed, the last renamed staying, whole."""
    project, ckpt = classifier
    out = tmp_path / "out"
    for name in ("out.part", "out.old"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "mine.txt").write_text(name)
    args = [sys.executable, "export.py", f"ckpt_path={ckpt}", f"export.out={out}"]
    both = [
        subprocess.Popen(
            [*args, f"export.verify_images={images}"],
            cwd=project,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for images in (9, 10)
    ]
    for process in both:
        stderr = process.communicate(timeout=600)[1]
        assert process.returncode == 0, stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "out.old", "out.part"]
    for name in ("out.part", "out.old"):
        assert files_under(tmp_path / name) == {
            tmp_path / name / "mine.txt": name.encode()
        }
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "model.onnx"]
    found = json.loads((out / "manifest.json").read_text())["verification"]
    assert found["passed"] and found["images"] in (9, 10)


@pytest.mark.parametrize(
    "signum, code, wait_for",
    [
        (signal.SIGTERM, 143, "manifest.json"),  # verifying: the manifest says pending
        (signal.SIGINT, 130, ""),  # writing the network
    ],
)
def test_a_signal_mid_export_leaves_nothing(
    classifier, tmp_path, signum, code, wait_for
):
    """SIGTERM or Ctrl-C while the export is built: no work folder, no parent folder
    made for export.out, one line and the signal's exit code, no traceback."""
    project, ckpt = classifier
    out = tmp_path / "made" / "for" / "it"
    args = [f"ckpt_path={ckpt}", f"export.out={out}", "export.verify_images=360"]
    stopped = stop_mid_export(project, args, out, wait_for, signum)
    assert stopped.returncode == code, stopped.stderr
    assert stopped.stderr == f"export stopped by {signum.name}: no export written\n"
    assert list(tmp_path.iterdir()) == []


def stop_mid_export(project: Path, args: list, out: Path, wait_for: str, signum):
    """export.py run with `args`, sent `signum` once its work folder (beside `out`)
    holds `wait_for` (or exists, for "")."""
    process = subprocess.Popen(
        [sys.executable, "export.py", *args],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 300
    while not list(out.parent.glob(f".{out.name}.*.part/{wait_for}")):
        assert process.poll() is None, process.communicate()[1]
        assert time.monotonic() < deadline
        time.sleep(0.005)
    process.send_signal(signum)
    stderr = process.communicate(timeout=120)[1]
    return subprocess.CompletedProcess(process.args, process.returncode, "", stderr)


def test_a_signal_just_after_the_rename_ends_as_done(classifier, tmp_path):
    """SIGTERM once the export is renamed into place (sent as export() returns): the
    export is whole, so export.py says it and ends as done (exit 0), never "no export
    written" (it said so, with exit 143, while the export stood in its folder)."""
    project, ckpt = classifier
    out = tmp_path / "out"
    result = signalled_after_the_rename(project, ckpt, out)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "" and result.stdout.startswith(f"export: {out} (onnx")
    assert "verified on 9 test images" in result.stdout
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "model.onnx"]
    assert json.loads((out / "manifest.json").read_text())["verification"]["passed"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


# export.py run with SIGTERM sent to itself as exporter.export returns, the export in
# its folder (the twins' export.py call it as exporter.export, or import it by name)
AFTER_THE_RENAME = """
import os, runpy, signal
from {package}.exporting import exporter
real = exporter.export
def export(*args):
    manifest = real(*args)
    os.kill(os.getpid(), signal.SIGTERM)
    return manifest
exporter.export = export
runpy.run_path("export.py", run_name="__main__")
"""


def signalled_after_the_rename(project: Path, ckpt: Path, out: Path):
    script = AFTER_THE_RENAME.format(package="resnet18_digits")  # both twins' digits
    args = [f"ckpt_path={ckpt}", f"export.out={out}", "export.verify_images=9"]
    return run(["-c", script, *args], project)


def test_an_export_out_that_is_a_link_is_written_through(classifier, tmp_path):
    """export.out=current, a link to v1 (how deployments switch versions): the export
    replaces v1's, the link kept; no work folder (nor a link to v1) left."""
    project, ckpt = classifier
    result = export(
        project, ckpt, f"export.out={tmp_path / 'v1'}", "export.verify=false"
    )
    assert result.returncode == 0, result.stderr
    (tmp_path / "current").symlink_to("v1")
    args = [f"export.out={tmp_path / 'current'}", "export.verify_images=9"]
    result = export(project, ckpt, *args)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "current").readlink() == Path("v1")
    manifest = json.loads((tmp_path / "v1" / "manifest.json").read_text())
    assert manifest["verification"]["images"] == 9
    assert sorted(p.name for p in tmp_path.iterdir()) == ["current", "v1"]
    assert sorted(p.name for p in (tmp_path / "v1").iterdir()) == [
        "manifest.json",
        "model.onnx",
    ]


def with_nan(ckpt: Path, into: Path, name: str) -> Path:
    """A copy of `ckpt` whose weights are NaN (a run that diverged), or, for `name`
    "running_var", finite weights whose outputs are NaN (a negative batch-norm
    variance: its square root)."""
    import torch

    checkpoint = torch.load(ckpt, weights_only=False)
    for key, tensor in checkpoint["state_dict"].items():
        if tensor.is_floating_point() and (name == "weights" or key.endswith(name)):
            tensor.fill_(float("nan") if name == "weights" else -1.0)
    torch.save(checkpoint, into)
    return into


@pytest.mark.parametrize(
    "name, said",
    [
        ("weights", "weights are not finite (nan in net.conv1.weight)"),
        ("bn1.running_var", "outputs are not finite (nan in logits)"),
    ],
)
def test_a_checkpoint_that_is_not_finite_fails_verification_in_one_line(
    classifier, tmp_path, name, said
):
    """NaN weights, or outputs: verification fails (exit 1) naming what and where,
    not a KeyError from comparing NaN with NaN; nothing written."""
    project, ckpt = classifier
    broken = with_nan(ckpt, tmp_path / "nan.ckpt", name)
    result = export(project, broken, f"export.out={tmp_path}/out")
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith(
        f"error: verification failed: the checkpoint's {said}"
    )
    assert result.stderr.count("\n") == 1 and result.stderr.endswith(
        "; no export written\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nan.ckpt"]


def test_a_checkpoint_outside_a_run_needs_export_out(classifier):
    """export.out=null is runs/<run>/export only for a checkpoint in a run's
    checkpoints/: elsewhere (the project's root) it is asked for, nothing written."""
    project, ckpt = classifier
    shutil.copy(ckpt, project / "mybest.ckpt")
    before = sorted(project.parent.iterdir())
    result = run(["export.py", "ckpt_path=mybest.ckpt"], project)
    assert result.returncode == 2, result.stderr
    message = assert_one_documented_line(result.stderr, TRAIN)
    assert message.startswith("ckpt_path=mybest.ckpt is not in a run's checkpoints/")
    assert sorted(project.parent.iterdir()) == before
    (project / "mybest.ckpt").unlink()


@pytest.mark.parametrize(
    "spec, outputs, metric",
    [
        ("lightning-unet-digit-canvas", ["logits"], "test/miou"),
        ("lightning-yolov5n-digit-canvas", ["boxes", "scores"], "test/map50"),
    ],
)
def test_each_dense_task_s_default_exports_and_verifies(
    tmp_path, spec, outputs, metric
):
    project, ckpt = trained_project(with_export(spec, tmp_path / spec))
    result = export(project, ckpt)
    assert result.returncode == 0, result.stderr
    manifest = json.loads((ckpt.parent.parent / "export" / "manifest.json").read_text())
    assert [output["name"] for output in manifest["outputs"]] == outputs
    found = manifest["verification"]
    assert found["passed"] and found["metric"] == metric
    assert abs(found["export"] - found["checkpoint"]) <= 0.001
    # its weights NaN (a run that diverged): one line, exit 1, nothing written
    broken = with_nan(ckpt, tmp_path / "nan.ckpt", "weights")
    result = export(project, broken, f"export.out={tmp_path}/out")
    assert result.returncode == 1, result.stderr
    start = "error: verification failed: the checkpoint's weights are not finite (nan"
    assert result.stderr.startswith(start) and result.stderr.count("\n") == 1
    left = {"nan.ckpt", spec, f"{spec}.yaml"}  # the project, its spec: nothing more
    assert {p.name for p in tmp_path.iterdir()} == left


def test_numpy_nms_chooses_the_objects_yolo_s_decoding_does(golden_package):
    """exporting/postprocess.py's select_objects on YOLOv5's candidates (what the ONNX
    export answers) gives decode's objects: same boxes, scores and classes, same order;
    at the evaluation's thresholds and predict.py's, random heads of 3 classes."""
    import importlib.util

    import torch

    for module in ("yolo", "yolo_boxes"):
        golden_package("lightning-yolov5n-digit-canvas", f"models.{module}")
    models = golden_package("lightning-yolov5n-digit-canvas", "models")
    shared = SPECS.parent.parent / "blueprints" / "shared" / "{{ package_name }}"
    spec = importlib.util.spec_from_file_location(
        "postprocess", shared / "exporting" / "postprocess.py"
    )
    postprocess = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(postprocess)
    torch.manual_seed(0)
    model = models.yolo.YOLOv5(num_classes=3)
    outputs = [torch.randn(2, 3, h, w, 8) * 3 for h, w in ((8, 12), (4, 6), (2, 3))]
    boxes, scores = models.yolo_boxes.candidates(outputs, model)
    for threshold, iou, most in ((0.001, 0.6, 100), (0.25, 0.6, 300), (0.01, 0.3, 20)):
        decoded = models.yolo_boxes.decode(outputs, model, threshold, iou, most)
        chosen = postprocess.select_objects(
            boxes.numpy(), scores.numpy(), threshold, iou, most
        )
        for ours, theirs in zip(decoded, chosen, strict=True):
            assert len(ours) > 0 and ours.shape == theirs.shape
            np.testing.assert_allclose(theirs, ours.numpy(), rtol=1e-6, atol=1e-5)


def test_a_torchvision_detector_exports_to_onnx_and_torchscript_and_verifies(tmp_path):
    """Faster R-CNN (MobileNetV3, 320): to ONNX one image at a time (its detections
    after its own NMS: boxes, scores, labels), and scripted to TorchScript; each
    compared with the adapter's answers image by image."""
    spec = "lightning-yolov5n-digit-canvas"
    model = [
        "model=fasterrcnn_mobilenet_v3_large_320_fpn",
        "trainer.limit_train_batches=2",
    ]
    project, ckpt = trained_project(with_export(spec, tmp_path / spec), model)
    refused_at_opset_22(project, ckpt, "fasterrcnn_mobilenet_v3_large_320_fpn")
    result = export(project, ckpt, "export.verify_images=8")
    assert result.returncode == 0, result.stderr
    manifest = json.loads((ckpt.parent.parent / "export" / "manifest.json").read_text())
    assert manifest["files"] == ["model.onnx"] and manifest["input"]["shape"][0] == 1
    names = [output["name"] for output in manifest["outputs"]]
    assert names == ["boxes", "scores", "labels"]
    assert manifest["verification"]["passed"]
    out = tmp_path / "scripted"
    result = export(project, ckpt, "export.format=torchscript", f"export.out={out}")
    assert result.returncode == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["files"] == ["model.pt"]
    assert manifest["outputs"][0]["name"] == "detections"
    assert manifest["verification"]["passed"]


def refused_at_opset_22(project: Path, ckpt: Path, model: str) -> None:
    """ONNX Runtime runs torchvision's RoIAlign to opset 21 only: export.opset=22 (in
    the allowed 18..22) is refused for an R-CNN before any work, nothing written."""
    before = sorted(ckpt.parent.parent.iterdir())
    result = export(project, ckpt, "export.opset=22")
    assert result.returncode == 2, result.stderr
    said = assert_one_documented_line(result.stderr, TRAIN)
    assert said.startswith(f"export.opset=22 is not allowed for model={model}: ONNX")
    assert sorted(ckpt.parent.parent.iterdir()) == before


# export.py's own steps, with torchvision's score threshold (0.05) lowered to 0: a net
# trained a few steps scores every object under it, and twenty objects an image are
# then compared (boxes, scores, labels, masks), not two empty answers.
EVERY_OBJECT = """
import sys
from maskrcnn_digit_canvas.config.cli import parse_cli
from maskrcnn_digit_canvas.exporting import exporter
from maskrcnn_digit_canvas.exporting.arguments import export_folder

trained = exporter.load_trained
def every_object(path):
    model = trained(path)
    model.net.roi_heads.score_thresh, model.net.roi_heads.detections_per_img = 0.0, 20
    return model
exporter.load_trained = every_object
cfg = parse_cli(sys.argv[1:], "", from_checkpoint=True)
exporter.export(cfg, export_folder(cfg.ckpt_path, cfg.export.out))
"""


def test_mask_r_cnn_exports_to_onnx_verifies_and_is_served(tmp_path):
    """Instance segmentation's Mask R-CNN: exported to ONNX one image at a time and
    verified against its checkpoint object by object; serve.py (torch blocked, as in
    the serving image) answers its objects and their instance map."""
    spec = "lightning-maskrcnn-digit-canvas"
    small = ["trainer.limit_train_batches=2", "trainer.limit_val_batches=1"]
    small += ["trainer.limit_test_batches=1", "data.batch_size=2"]
    project = with_export(spec, tmp_path / spec, ["export", "serve"])
    project, ckpt = trained_project(project, small)
    refused_at_opset_22(project, ckpt, "maskrcnn_resnet50_fpn")
    folder = tmp_path / "onnx"
    args = [f"ckpt_path={ckpt}", "export.verify_images=6", f"export.out={folder}"]
    result = run(["-c", EVERY_OBJECT, *args], project)
    assert result.returncode == 0, result.stderr
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["task"] == "instance_segmentation"
    assert manifest["files"] == ["model.onnx"] and manifest["input"]["shape"][0] == 1
    found = manifest["verification"]
    assert found["passed"] and found["images"] == 6 and found["metric"] == "test/map50"
    assert set(found["largest_difference"]) == {"boxes", "scores", "labels", "masks"}
    canvas = np.random.default_rng(0).integers(0, 256, (40, 30, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(canvas).save(buffer, format="PNG")
    with serving(project, f"export={folder}") as (url, _):
        answer = httpx.post(
            f"{url}/predict", files={"file": ("c.png", buffer.getvalue())}, timeout=60
        )
    assert answer.status_code == 200, answer.text
    (image,) = answer.json()["images"]
    assert (image["mask"]["width"], image["mask"]["height"]) == (30, 40)
    assert all(o["score"] >= 0.25 for o in image["objects"])  # the manifest's threshold


def test_export_out_under_home_is_expanded(golden_package, tmp_path, monkeypatch):
    """export.out=~/deploy/model: the home folder's, not a folder named ~ here."""
    folder = golden_package("lightning-resnet18-digits", "exporting.arguments")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    assert folder.export_folder("best.ckpt", "~/deploy/model") == (
        tmp_path / "deploy" / "model"
    )
    assert not (tmp_path / "~").exists()
