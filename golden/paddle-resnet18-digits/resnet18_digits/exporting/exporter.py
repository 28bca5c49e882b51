"""export.py's work: the checkpoint's network saved (ONNX or a Paddle inference model)
with its manifest, verified, in runs/<run>/export/ (or export.out). Built in a sibling
<folder>.part and renamed when verified: an export already there is replaced only by
one that passed, and a failed one is not left behind."""

import hashlib
import platform
import shutil
from importlib.metadata import version
from pathlib import Path

import numpy as np
import paddle

from ..errors import UserError
from .artefact import write_artefact
from .manifest import write_manifest
from .task import OUTPUTS, POSTPROCESS, TASK, TestData, load_model, saved_layer
from .verify import say_skipped, verify

RESIZE = "PIL bilinear to size, after EXIF orientation and conversion to gray or RGB"


def export(cfg) -> Path:
    """The export folder of cfg.ckpt_path, with cfg.export's format and checks."""
    paddle.set_device("cpu")  # the artefact runs anywhere; verified where it is made
    model = load_model(cfg.ckpt_path)
    out = export_folder(cfg)
    part = out.with_name(out.name + ".part")
    shutil.rmtree(part, ignore_errors=True)
    part.mkdir(parents=True)
    try:
        batches = test_batches(cfg)
        manifest = describe(cfg, model, batches[0][0][: cfg.export.batch_size])
        layer, shape = saved_layer(model), manifest["input"]["shape"]
        names = [output["name"] for output in manifest["outputs"]]
        manifest["files"] = write_artefact(
            layer, shape, names, cfg.export.format, cfg.export.opset, part
        )
        manifest["verification"] = {"skipped": "not yet"}
        write_manifest(part, manifest)  # the runners read it
        if cfg.export.verify:
            size = cfg.export.verify_batch_size
            manifest["verification"] = verify(model, part, manifest, batches, size)
        else:
            manifest["verification"] = say_skipped()
        write_manifest(part, manifest)
        shutil.rmtree(out, ignore_errors=True)
        part.rename(out)
    finally:
        shutil.rmtree(part, ignore_errors=True)
    return out


def export_folder(cfg) -> Path:
    if cfg.export.out:
        return Path(cfg.export.out)
    return Path(cfg.ckpt_path).resolve().parent.parent / "export"


def test_batches(cfg) -> list:
    """(uint8 images, targets) of the test split, export.verify_images in all."""
    data = TestData(cfg.data)
    data.prepare_data()
    data.setup("test")
    batches, count = [], 0
    for images, targets in data.loader("test", False, cfg.trainer.limit_test_batches):
        images, targets = np.asarray(images), np.asarray(targets)
        take = cfg.export.verify_images - count
        if targets.ndim == 2 and targets.shape[1] == 6:  # boxes: (image, ...) rows
            targets = targets[targets[:, 0] < take]
        else:
            targets = targets[:take]
        batches.append((images[:take], targets))
        count += len(batches[-1][0])
        if count >= cfg.export.verify_images:
            break
    if not batches:
        raise UserError(
            f"{cfg.data.name}'s test split is empty: export needs test images to"
            " check the export against; raise trainer.limit_test_batches"
        )
    return batches


def describe(cfg, model, example: np.ndarray) -> dict:
    """The manifest, but for its files and verification; `example`: uint8 images
    the saved layer runs once, for its outputs' shapes."""
    data, fmt = model.data, cfg.export.format
    channels, size = data["channels"], data["image_size"]
    preprocess = {"channels": channels, "size": [size, size], "resize": RESIZE}
    preprocess |= {
        "scale": 1 / 255,
        "mean": list(data["mean"]),
        "std": list(data["std"]),
    }
    from .preprocess import prepare

    layer = saved_layer(model)
    layer.eval()
    with paddle.no_grad():
        outputs = layer(paddle.to_tensor(prepare(example, preprocess)))
    outputs = outputs if isinstance(outputs, list | tuple) else [outputs]
    return {
        "format": fmt,
        "task": TASK,
        "backend": "paddle",
        "input": {"name": "images", "dtype": "float32", "layout": "NCHW"}
        | {"shape": [None, channels, size, size]},
        "preprocess": preprocess,
        "outputs": [
            {"name": name, "shape": [None, *o.shape[1:]], "meaning": meaning}
            for (name, meaning), o in zip(OUTPUTS.items(), outputs, strict=True)
        ],
        "postprocess": POSTPROCESS,
        "class_names": list(data["class_names"]),
        "opset": cfg.export.opset if fmt == "onnx" else None,
        "source": {"checkpoint": cfg.ckpt_path, "sha256": sha256(cfg.ckpt_path)},
        "versions": versions(fmt),
    }


def sha256(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as weights:
        for block in iter(lambda: weights.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def versions(fmt: str) -> dict:
    libraries = ["paddlepaddle"]
    libraries += ["paddle2onnx", "onnx", "onnxruntime"] if fmt == "onnx" else []
    return {"python": platform.python_version()} | {n: version(n) for n in libraries}
