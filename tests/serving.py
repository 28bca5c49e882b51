"""Tiny exports for tests/test_serve.py, and a real serve.py to send them to.

Each export is a folder as export.py writes it (model.onnx and manifest.json, in the
contract's form) holding a hand-built ONNX graph whose answer is known from the
pixels: it reads the colour of an image. 3 channels, 16 x 16 pixels, normalised with
mean 0.5 and std 0.5 (so a channel at 255 reads 1, at 0 reads -1).
"""

import json
import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

COLOURS = ["red", "green", "blue"]
SIZE = 16
# serve.py as it runs in the serving image: torch and paddle cannot be imported.
WITHOUT_FRAMEWORKS = (
    "import runpy, sys;"
    " sys.modules.update(torch=None, torchvision=None, paddle=None, lightning=None);"
    " sys.argv[0] = 'serve.py'; runpy.run_path('serve.py', run_name='__main__')"
)


def tensor(name: str, values) -> onnx.TensorProto:
    return numpy_helper.from_array(np.asarray(values, dtype=np.float32), name)


def channel_means(nodes: list, out: str, keep: int = 0) -> None:
    """`out`: the mean of each channel of `images` (N, 3), or (N, 3, 1, 1) with keep."""
    nodes.append(helper.make_node("ReduceMean", ["images", "hw"], [out], keepdims=keep))


def graph(task: str):
    """(nodes, initializers, outputs) of the task's colour reader."""
    nodes, weights = [], [numpy_helper.from_array(np.array([2, 3]), "hw")]
    if task == "classification":  # logits: 10 x each channel's mean
        channel_means(nodes, "means")
        nodes.append(helper.make_node("MatMul", ["means", "w"], ["logits"]))
        weights.append(tensor("w", 10 * np.eye(3)))
        return nodes, weights, [("logits", [None, 3])]
    if task == "segmentation":  # per pixel: background 0, each colour 10 x its channel
        nodes.append(helper.make_node("Conv", ["images", "w"], ["logits"]))
        kernel = np.concatenate([np.zeros((1, 3)), 10 * np.eye(3)])[:, :, None, None]
        weights.append(tensor("w", kernel))
        return nodes, weights, [("logits", [None, 4, SIZE, SIZE])]
    if task == "instance_segmentation":
        return instances(nodes, weights)
    # detection: two candidate boxes (left-top, right-bottom quarter of the input), each
    # scoring each colour by its channel's mean (the same image-wide colour for both)
    channel_means(nodes, "means")
    nodes += [
        helper.make_node("MatMul", ["means", "w"], ["raw"]),
        helper.make_node("Reshape", ["raw", "per_box"], ["logits"]),
        helper.make_node("Sigmoid", ["logits"], ["scores"]),
        helper.make_node("MatMul", ["raw", "zero"], ["nothing"]),  # (N, 8) of zeros
        helper.make_node("Reshape", ["nothing", "box_shape"], ["zeros"]),
        helper.make_node("Add", ["zeros", "corners"], ["boxes"]),
    ]
    weights += [
        tensor("w", np.tile(10 * np.eye(3), 2)),  # (3, 6): both boxes' colour scores
        numpy_helper.from_array(np.array([-1, 2, 3]), "per_box"),
        tensor("zero", np.zeros((6, 8))),
        numpy_helper.from_array(np.array([-1, 2, 4]), "box_shape"),
        tensor("corners", [[[2, 2, 8, 8], [8, 8, 14, 14]]]),
    ]
    return nodes, weights, [("boxes", [None, 2, 4]), ("scores", [None, 2, 3])]


def instances(nodes: list, weights: list):
    """Mask R-CNN's answer as torchvision's detectors export it (one image at a time,
    objects after NMS, best first): two objects, the left-top and right-bottom
    quarters (box and mask), both of the image's colour, scoring sigmoid(10 x its
    channel's mean) and half that; labels count from 1 (0: the background)."""
    channel_means(nodes, "means")
    nodes += [
        helper.make_node("MatMul", ["means", "w"], ["logits"]),  # (1, 3)
        helper.make_node("ReduceMax", ["logits", "classes"], ["best"], keepdims=0),
        helper.make_node("Sigmoid", ["best"], ["score"]),
        helper.make_node("Mul", ["score", "halves"], ["scores"]),  # (2,)
        helper.make_node("ArgMax", ["logits"], ["colour"], axis=1, keepdims=0),
        helper.make_node("Add", ["colour", "one"], ["labels"]),  # (1,) + (2,)
        helper.make_node("Identity", ["corners"], ["boxes"]),
        helper.make_node("Identity", ["quarters"], ["masks"]),
    ]
    quarters = np.zeros((2, 1, SIZE, SIZE), dtype=np.float32)
    quarters[0, 0, 2:8, 2:8] = quarters[1, 0, 8:14, 8:14] = 1
    weights += [
        tensor("w", 10 * np.eye(3)),
        numpy_helper.from_array(np.array([1]), "classes"),  # the axis reduced
        tensor("halves", [1.0, 0.5]),
        numpy_helper.from_array(np.array([1, 1]), "one"),
        tensor("corners", [[2, 2, 8, 8], [8, 8, 14, 14]]),
        numpy_helper.from_array(quarters, "quarters"),
    ]
    shapes = [("boxes", [2, 4]), ("scores", [2]), ("labels", [2]), ("masks", [2, 1])]
    return nodes, weights, [(n, s + [SIZE] * 2 * (n == "masks")) for n, s in shapes]


def write_export(folder: Path, task: str, gray: bool = False, **changes) -> Path:
    """`folder` as export.py leaves it for a colour reader of `task`; `changes` replace
    manifest entries (a wrong format, a broken one...). `gray` (classification): a
    reader of gray images, "red" when bright, "blue" when dark."""
    nodes, weights, outputs = graph(task)
    channels = 1 if gray else 3
    if gray:
        weights[-1] = tensor("w", [[10, 0, -10]])
    batch = 1 if task == "instance_segmentation" else None  # one image at a time
    images = helper.make_tensor_value_info(
        "images", TensorProto.FLOAT, [batch, channels, SIZE, SIZE]
    )
    results = [
        helper.make_tensor_value_info(
            n, TensorProto.INT64 if n == "labels" else TensorProto.FLOAT, s
        )
        for n, s in outputs
    ]
    model = helper.make_model(
        helper.make_graph(nodes, "colours", [images], results, weights),
        opset_imports=[helper.make_opsetid("", 18)],
    )
    model.ir_version = 8
    onnx.checker.check_model(model)
    folder.mkdir(parents=True)
    onnx.save(model, folder / "model.onnx")
    names = ["background", *COLOURS] if task == "segmentation" else COLOURS
    manifest = {
        "format": "onnx",
        "files": ["model.onnx"],
        "task": task,
        "backend": "lightning",
        "input": {
            "name": "images",
            "dtype": "float32",
            "layout": "NCHW",
            "shape": [batch, channels, SIZE, SIZE],
        },
        "preprocess": {
            "channels": channels,
            "size": [SIZE, SIZE],
            "resize": "bilinear",
            "scale": 1 / 255,
            "mean": [0.5] * channels,
            "std": [0.5] * channels,
        },
        "outputs": [{"name": n, "shape": s, "meaning": n} for n, s in outputs],
        "postprocess": {
            "detection": {
                "score_threshold": 0.25,
                "iou_threshold": 0.45,
                "max_detections": 100,
            },
            "instance_segmentation": {
                "after": "the network's NMS",
                "score_threshold": 0.25,
            },
        }.get(task, {}),
        "class_names": names,
        "opset": 18,
        "source": {"checkpoint": "runs/x/checkpoints/best.ckpt", "sha256": "0" * 64},
        "versions": {"python": "3.11"},
        "verification": {"skipped": "export.verify=false"},
        **changes,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1))
    return folder


def spoil(folder: Path, how: str) -> None:
    """A classifier export's model made to answer nan: "weights" (its weights nan: on
    every image), or "colours" (the square root of its negated logits: finite on a
    blank image, nan on a coloured one)."""
    model = onnx.load(folder / "model.onnx")
    if how == "weights":
        for weight in model.graph.initializer:
            if weight.name == "w":
                weight.CopyFrom(tensor("w", np.full((3, 3), np.nan)))
    else:
        for node in model.graph.node:
            node.output[:] = ["raw" if o == "logits" else o for o in node.output]
        model.graph.node.extend(
            [
                helper.make_node("Neg", ["raw"], ["negated"]),
                helper.make_node("Sqrt", ["negated"], ["logits"]),
            ]
        )
    onnx.save(model, folder / "model.onnx")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(project: Path, *args: str, timeout: float = 60):
    """serve.py in `project` (torch and paddle blocked) on a free port: yields (its base
    URL, the process); stopped with SIGTERM at the end unless it stopped already."""
    port = free_port()
    log = project / f"serve-{port}.log"
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    with open(log, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "-c", WITHOUT_FRAMEWORKS, *args, f"serve.port={port}"],
            cwd=project,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            text=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        start = time.monotonic()
        while True:
            assert process.poll() is None, log.read_text()
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() - start < timeout, log.read_text()
            time.sleep(0.1)
        process.log = log
        yield url, process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(30)
