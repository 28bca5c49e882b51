"""export.py's work: the checkpoint's network saved (ONNX or a Paddle inference model)
with its manifest (exporting/manifest.py), verified against the checkpoint on test
images (verification.py), in runs/<run>/export/ or export.out, whole or not at all
(folder.py)."""

from pathlib import Path

import numpy as np
import paddle

from ..errors import UserError
from .folder import building
from .manifest import source_of, versions_of, write_manifest
from .preprocess import prepare
from .task import OUTPUTS, POSTPROCESS, TASK, TestData, load_model, saved_layer
from .verification import say_skipped, verify
from .writer import write_network

RESIZE = "PIL bilinear to size, after EXIF orientation and conversion to gray or RGB"
LIBRARIES = {"onnx": ("paddle2onnx", "onnx", "onnxruntime"), "paddle": ()}


def export(cfg, folder: Path) -> dict:
    """The export written to `folder` (arguments.export_folder: checked) and verified;
    its manifest."""
    paddle.set_device("cpu")  # the export runs anywhere; checked where it is made
    model = load_model(cfg.ckpt_path)
    test = test_batches(cfg)  # data problems: first
    manifest = describe(cfg, model, test[0][0][: cfg.export.batch_size])
    names = [output["name"] for output in manifest["outputs"]]
    with building(folder) as part:
        manifest["files"] = write_network(
            saved_layer(model), manifest["input"]["shape"], names, cfg.export, part
        )
        # The verification reads the manifest, as a server would: until it is done,
        # the manifest (in the work folder only) says so, never a skip not asked for.
        skipped = {"skipped": "export.verify=false"}
        pending = {"pending": "being verified"}
        manifest["verification"] = pending if cfg.export.verify else skipped
        write_manifest(part, manifest)
        if cfg.export.verify:
            size = cfg.export.verify_batch_size
            manifest["verification"] = verify(model, part, manifest, test, size)
            write_manifest(part, manifest)
        else:
            say_skipped()
    return manifest


def test_batches(cfg) -> list:
    """(uint8 images, targets) of the test split's first export.verify_images."""
    data = TestData(cfg.data)
    data.prepare_data()
    data.setup("test")
    batches, wanted = [], cfg.export.verify_images
    for images, targets in data.loader("test", False, cfg.trainer.limit_test_batches):
        images, targets = np.asarray(images)[:wanted], np.asarray(targets)
        if TASK == "detection":  # (image, class, cx, cy, w, h) rows
            batches.append((images, targets[targets[:, 0] < len(images)]))
        else:
            batches.append((images, targets[:wanted]))
        wanted -= len(images)
        if wanted <= 0:
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
    layer = saved_layer(model)
    layer.eval()
    with paddle.no_grad():
        outputs = layer(paddle.to_tensor(prepare(example, preprocess)))
    outputs = outputs if isinstance(outputs, list | tuple) else [outputs]
    manifest = {"format": fmt, "files": [], "task": TASK, "backend": "paddle"}
    manifest["input"] = {"name": "images", "dtype": "float32", "layout": "NCHW"}
    manifest["input"]["shape"] = [None, channels, size, size]
    manifest |= {"preprocess": preprocess, "outputs": []}
    for (name, meaning), output in zip(OUTPUTS.items(), outputs, strict=True):
        shape = [None, *output.shape[1:]]
        manifest["outputs"].append({"name": name, "shape": shape, "meaning": meaning})
    manifest |= {"postprocess": POSTPROCESS, "class_names": list(data["class_names"])}
    manifest["opset"] = cfg.export.opset if fmt == "onnx" else None
    manifest["source"] = source_of(cfg.ckpt_path)
    manifest["versions"] = versions_of("paddlepaddle", *LIBRARIES[fmt])
    return manifest
