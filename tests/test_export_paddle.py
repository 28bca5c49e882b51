"""export.py on the Paddle twin: every task exported (ONNX through paddle2onnx, or the
paddle.jit.save inference model), its manifest as the contract says, and verified
against the checkpoint; a manifest with a wrong normalisation is caught; an opset
paddle2onnx cannot write and bad export keys end in one line (exit 2), leaving nothing;
the twins' manifests of one spec agree."""

import json
import shutil
import signal
from pathlib import Path

import numpy as np
import pytest
from onefit.render import render

from tests.conftest import run
from tests.goldens import GOLDEN_SOURCE, answers_of
from tests.messages import TRAIN, assert_one_documented_line
from tests.test_export import signalled_after_the_rename, stop_mid_export

CLASSIFIER = "paddle-resnet18-digits"  # its golden spec has every feature
DENSE = {
    "segmentation": "paddle-unet-digit-canvas",
    "detection": "paddle-yolov5n-digit-canvas",
}
DEBUG = ["trainer=debug", "trainer.enable_progress_bar=false"]
FIELDS = {"format", "files", "task", "backend", "input", "preprocess", "outputs"}
FIELDS |= {"postprocess", "class_names", "opset", "source", "versions", "verification"}


def train(project: Path, *args: str) -> Path:
    """The best checkpoint of a short run of `project`."""
    result = run(["train.py", *DEBUG, *args], project)
    assert result.returncode == 0, result.stderr[-3000:]
    (run_dir,) = (project / "runs").iterdir()
    return run_dir / "checkpoints" / "best.pdparams"


def export(project: Path, checkpoint: Path, *args: str):
    return run(["export.py", f"ckpt_path={checkpoint}", *args], project)


def manifest_of(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text())


@pytest.fixture(scope="module")
def classifier(tmp_path_factory, rendered) -> tuple[Path, Path]:
    """The resnet18/digits project after a debug run, and its best checkpoint."""
    project = tmp_path_factory.mktemp("export") / CLASSIFIER
    shutil.copytree(rendered(CLASSIFIER), project)
    return project, train(project)


@pytest.fixture(scope="module")
def exported(classifier) -> Path:
    """The classifier's ONNX export with every default, in its run's export/ (made
    once per test process: the tests below may run in another than the first)."""
    project, checkpoint = classifier
    folder = checkpoint.parent.parent / "export"
    if not folder.is_dir():
        result = export(project, checkpoint)
        assert result.returncode == 0, result.stderr[-3000:]
    return folder


def test_an_onnx_export_holds_the_contract_s_manifest_and_is_verified(exported):
    folder = exported
    manifest = manifest_of(folder)
    assert set(manifest) == FIELDS
    assert sorted(p.name for p in folder.iterdir()) == ["manifest.json", "model.onnx"]
    assert not list(folder.parent.glob("*.part"))
    assert manifest["format"] == "onnx" and manifest["files"] == ["model.onnx"]
    assert (manifest["task"], manifest["backend"]) == ("classification", "paddle")
    assert manifest["input"] == {
        "name": "images",
        "dtype": "float32",
        "layout": "NCHW",
        "shape": [None, 1, 8, 8],
    }
    # the digits' own normalisation, as the checkpoint's InputPipeline applies it
    assert manifest["preprocess"]["mean"] == [0.3053]
    assert manifest["preprocess"]["std"] == [0.3759]
    assert manifest["preprocess"]["scale"] == pytest.approx(1 / 255)
    assert [(o["name"], o["shape"]) for o in manifest["outputs"]] == [
        ("logits", [None, 10])
    ]
    assert manifest["class_names"] == [str(d) for d in range(10)]
    assert manifest["opset"] == 18 and manifest["versions"]["paddle2onnx"] == "2.1.0"
    assert len(manifest["source"]["sha256"]) == 64
    check = manifest["verification"]
    assert check["passed"] and check["images"] > 0
    assert check["batch_size"] != 2  # export.batch_size's default: another size
    assert check["metric"] == "test/acc"
    assert abs(check["export"] - check["checkpoint"]) <= 0.001
    assert set(check["largest_difference"]) == {"logits", "probabilities"}
    _, absolute = check["tolerances"]["probabilities"]
    assert check["largest_difference"]["probabilities"] <= absolute


def test_the_onnx_file_answers_any_batch_size_with_the_manifest_s_names(exported):
    import onnxruntime

    session = onnxruntime.InferenceSession(str(exported / "model.onnx"))
    assert [i.name for i in session.get_inputs()] == ["images"]
    assert [o.name for o in session.get_outputs()] == ["logits"]
    for batch in (1, 7):
        (logits,) = session.run(None, {"images": np.zeros((batch, 1, 8, 8), "f4")})
        assert logits.shape == (batch, 10)


def test_a_paddle_inference_export_is_verified_by_paddle_inference(
    classifier, tmp_path
):
    project, checkpoint = classifier
    out = tmp_path / "paddle-export"
    result = export(project, checkpoint, "export.format=paddle", f"export.out={out}")
    assert result.returncode == 0, result.stderr[-3000:]
    manifest = manifest_of(out)
    assert manifest["format"] == "paddle"
    assert manifest["files"] == ["model.json", "model.pdiparams"]
    assert all((out / name).is_file() for name in manifest["files"])
    assert manifest["verification"]["passed"]
    # paddle.inference runs the eager kernels: the same numbers
    assert manifest["verification"]["largest_difference"]["probabilities"] < 1e-6


def test_verify_false_skips_the_check_loudly(classifier, tmp_path):
    project, checkpoint = classifier
    out = tmp_path / "unchecked"
    result = export(project, checkpoint, "export.verify=false", f"export.out={out}")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "export.verify=false: this export was NOT checked" in result.stderr
    assert manifest_of(out)["verification"] == {"skipped": "export.verify=false"}


def test_sigterm_mid_export_leaves_nothing(classifier, tmp_path):
    """SIGTERM while paddle2onnx converts: importing paddle sets its own SIGTERM handler
    (a C++ traceback); export.py's is set again after, so the work folder and the
    parent folders made for export.out go, with one line and exit code 143."""
    project, checkpoint = classifier
    out = tmp_path / "made" / "for" / "it"
    args = [f"ckpt_path={checkpoint}", f"export.out={out}"]
    stopped = stop_mid_export(project, args, out, "", signal.SIGTERM)
    assert stopped.returncode == 143, stopped.stderr[-3000:]
    assert stopped.stderr == "export stopped by SIGTERM: no export written\n"
    assert list(tmp_path.iterdir()) == []


def test_a_signal_just_after_the_rename_ends_as_done(classifier, tmp_path):
    """SIGTERM once the export is in place: whole, said, exit 0 (not 143 and "no
    export written")."""
    project, checkpoint = classifier
    out = tmp_path / "out"
    result = signalled_after_the_rename(project, checkpoint, out)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.startswith(f"export: {out} (onnx: model.onnx)")
    assert "verified on 9 test images" in result.stdout
    assert manifest_of(out)["verification"]["passed"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize(
    "name, value, said",
    [
        ("", float("nan"), "checkpoint's weights are not finite (nan in conv1.weight)"),
        ("fc.weight", 3e38, "checkpoint's outputs are not finite (inf in logits)"),
        # paddle's eager batch norm answers a negative variance, its export NaN
        (
            "bn1._variance",
            -1.0,
            "export's logits differ from the checkpoint's by up to inf",
        ),
    ],
)
def test_a_checkpoint_that_is_not_finite_fails_verification_in_one_line(
    classifier, tmp_path, name, value, said
):
    """NaN weights (a run that diverged), finite weights answering inf, or an export
    answering NaN where the checkpoint does not: exit 1 in one line naming it, not a
    KeyError from comparing NaN; nothing written."""
    import paddle

    project, checkpoint = classifier
    weights = paddle.load(str(checkpoint))
    for key, tensor in weights.items():
        if (
            key.startswith("network.")
            and key.endswith(name)
            and tensor.is_floating_point()
        ):
            weights[key] = paddle.full_like(tensor, value)
    broken = tmp_path / "nan.pdparams"
    paddle.save(weights, str(broken))
    state = json.loads(checkpoint.with_suffix(".json").read_text())
    state.pop("pdparams_sha256", None)  # train.py's digest of the unbroken weights
    broken.with_suffix(".json").write_text(json.dumps(state))
    shutil.copy(checkpoint.with_suffix(".pdopt"), broken.with_suffix(".pdopt"))
    before = sorted(tmp_path.iterdir())
    result = export(project, broken, f"export.out={tmp_path / 'out'}")
    assert result.returncode == 1, result.stderr[-3000:]
    assert result.stderr.startswith(
        f"error: verification failed: the {said}"
    ), result.stderr[-3000:]
    assert result.stderr.count("\n") == 1
    assert result.stderr.endswith("; no export written\n")
    assert sorted(tmp_path.iterdir()) == before


def test_a_wrong_normalisation_in_the_manifest_is_caught(
    classifier, exported, golden_package
):
    """The manifest's mean moved by a tenth of a standard deviation: the export is
    fed what a server following the manifest would feed it, and fails."""
    project, checkpoint = classifier
    folder = project / "broken-export"
    shutil.copytree(exported, folder)
    manifest = manifest_of(folder)
    manifest["preprocess"]["mean"] = [0.3053 + 0.1 * 0.3759]
    (folder / "manifest.json").write_text(json.dumps(manifest))
    load = golden_package(CLASSIFIER, "exporting.exporter")
    verification = golden_package(CLASSIFIER, "exporting.verification")
    model = load.load_model(str(checkpoint))
    images = np.random.default_rng(0).integers(0, 256, (6, 1, 8, 8), dtype=np.uint8)
    batches = [(images, np.arange(6) % 10)]
    assert verification.verify(model, folder, manifest_of(exported), batches, 5)[
        "passed"
    ]
    with pytest.raises(
        verification.VerificationFailed, match="the export's logits differ"
    ):
        verification.verify(model, folder, manifest, batches, 5)


@pytest.mark.parametrize(
    "args, expected",
    [
        (["export.format=torchscript"], "export.format"),
        (["export.opset=30"], "export.opset"),
        (["export.verify_batch_size=2"], "export.verify_batch_size"),
    ],
)
def test_mistakes_end_in_one_line(classifier, args, expected):
    project, checkpoint = classifier
    result = export(project, checkpoint, *args)
    assert result.returncode == 2, result.stderr[-3000:]
    # the config's rules (their rows in docs/troubleshooting.md are tested with them)
    assert (
        result.stderr.startswith(f"error: {expected}=")
        and result.stderr.count("\n") == 1
    )


@pytest.mark.parametrize("task", sorted(DENSE))
def test_every_dense_task_exports_and_verifies(task, tmp_path, tmp_path_factory):
    """The golden spec of the task, with export on."""
    project = tmp_path / DENSE[task]
    answers = answers_of(DENSE[task]) | {"features": ["export"]}
    render(answers, project, GOLDEN_SOURCE, overwrite=False)
    checkpoint = train(project)
    outputs = {"segmentation": [("logits", [None, 11, 64, 64])]}
    outputs["detection"] = [("boxes", [None, 252, 4]), ("scores", [None, 252, 10])]
    # segmentation's paddle format adds little to the classifier's: seconds saved
    for fmt in ("onnx", "paddle") if task == "detection" else ("onnx",):
        out = tmp_path / fmt
        result = export(
            project, checkpoint, f"export.format={fmt}", f"export.out={out}"
        )
        assert result.returncode == 0, result.stderr[-3000:]
        manifest = manifest_of(out)
        assert manifest["task"] == task and manifest["format"] == fmt
        assert [(o["name"], o["shape"]) for o in manifest["outputs"]] == outputs[task]
        assert manifest["verification"]["passed"]
        assert (
            manifest["verification"]["metric"]
            == {
                "segmentation": "test/miou",
                "detection": "test/map50",
            }[task]
        )
    if task == "detection":  # paddle2onnx cannot write YOLOv5 in opset 10: exit 2
        out = tmp_path / "opset-10"
        result = export(project, checkpoint, "export.opset=10", f"export.out={out}")
        assert result.returncode == 2, result.stderr[-3000:]
        message = assert_one_documented_line(result.stderr, TRAIN)
        assert message.startswith("export.opset=10: paddle2onnx converts this model")
        assert not out.exists() and not list(tmp_path.glob("*.part"))


def test_the_twins_manifests_say_the_same(exported, tmp_path, rendered):
    """A Lightning export of the same spec: the same fields, input, preprocessing,
    outputs (names, shapes, meanings), postprocessing and verification record."""
    paddle_manifest = manifest_of(exported)
    twin = tmp_path / "lightning-resnet18-digits"
    shutil.copytree(rendered("lightning-resnet18-digits"), twin)
    result = run(["train.py", *DEBUG], twin)
    assert result.returncode == 0, result.stderr[-3000:]
    (run_dir,) = (twin / "runs").iterdir()
    result = export(twin, run_dir / "checkpoints" / "best.ckpt")
    assert result.returncode == 0, result.stderr[-3000:]
    lightning_manifest = manifest_of(run_dir / "export")
    assert set(paddle_manifest) == set(lightning_manifest)
    for key in ("format", "task", "input", "outputs", "postprocess", "class_names"):
        assert paddle_manifest[key] == lightning_manifest[key], key
    assert paddle_manifest["preprocess"] == lightning_manifest["preprocess"]
    assert set(paddle_manifest["verification"]) == set(
        lightning_manifest["verification"]
    )
    assert paddle_manifest["backend"] == "paddle" != lightning_manifest["backend"]
