"""The exported files: the saved layer as a Paddle inference model (paddle.jit.save:
model.json and model.pdiparams), run by paddle.inference, or converted from it to ONNX
by paddle2onnx. Either way the batch size stays open and the outputs carry the
manifest's names."""

import re
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import paddle

from ..errors import UserError

PADDLE_FILES = ["model.json", "model.pdiparams"]


def write_network(layer, shape: list, names: list[str], export, folder) -> list[str]:
    """The files of export.format ("onnx", at export.opset, or "paddle") in `folder`;
    their names, relative to it."""
    layer.eval()
    if export.format == "paddle":
        save_inference(layer, shape, Path(folder))
        return PADDLE_FILES
    with tempfile.TemporaryDirectory() as saved:
        save_inference(layer, shape, Path(saved))
        to_onnx(Path(saved), Path(folder) / "model.onnx", names, export.opset)
    return ["model.onnx"]


def save_inference(layer, shape: list, folder: Path) -> None:
    """shape: [None, C, H, W]: None keeps the batch size open."""
    # a copy: InputSpec turns the None of the list it is given into -1
    spec = paddle.static.InputSpec(list(shape), "float32", "images")
    paddle.jit.save(layer, str(folder / "model"), input_spec=[spec])


class ExportFailed(Exception):
    """The export could not be made or does not answer as its checkpoint: exit 1."""


# paddle2onnx ends the whole process when it cannot convert (and prints as it goes):
# it runs in a child, so that the half-made export is cleared and its error told.
CONVERT = """import sys, paddle2onnx
folder, onnx_file, opset = sys.argv[1:]
paddle2onnx.export(f"{folder}/model.json", f"{folder}/model.pdiparams", onnx_file,
    opset_version=int(opset), auto_upgrade_opset=False,
    optimize_tool="onnxoptimizer")  # its default, polygraphy, pip-installs itself
"""


def to_onnx(saved: Path, onnx_file: Path, names: list[str], opset: int) -> None:
    import onnx

    command = [sys.executable, "-c", CONVERT, str(saved), str(onnx_file), str(opset)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode or not onnx_file.is_file():
        said = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout + done.stderr)
        if needed := re.search(r"set the opset_version to (\d+)", said):
            raise UserError(
                f"export.opset={opset}: paddle2onnx converts this model from opset"
                f" {needed[1]} only; set export.opset={needed[1]} or above"
            )
        errors = [
            line.split("[ERROR]")[-1] for line in said.splitlines() if "[ERROR]" in line
        ]
        why = (errors or said.strip().splitlines() or ["no reason given"])[-1]
        raise ExportFailed(f"paddle2onnx could not convert the model: {why.strip()}")
    graph = onnx.load(str(onnx_file))
    rename_outputs(graph.graph, names)
    onnx.save(graph, str(onnx_file))


def rename_outputs(graph, names: list[str]) -> None:
    """paddle2onnx names outputs fetch_name_0, ...: the manifest's names instead."""
    renamed = {out.name: name for out, name in zip(graph.output, names, strict=True)}
    for node in graph.node:
        node.output[:] = [renamed.get(n, n) for n in node.output]
        node.input[:] = [renamed.get(n, n) for n in node.input]
    for out in graph.output:
        out.name = renamed[out.name]


class PaddleInference:
    """An export of format "paddle" run by paddle.inference on the CPU: .run(float32
    NCHW) -> the outputs as numpy arrays, in the manifest's order."""

    def __init__(self, folder) -> None:
        import paddle.inference as inference

        config = inference.Config(
            str(Path(folder) / PADDLE_FILES[0]), str(Path(folder) / PADDLE_FILES[1])
        )
        config.disable_gpu()
        config.disable_mkldnn()  # its kernels refuse YOLOv5's float-list attributes
        config.disable_glog_info()
        self.predictor = inference.create_predictor(config)

    def run(self, images: np.ndarray) -> list[np.ndarray]:
        (name,) = self.predictor.get_input_names()
        handle = self.predictor.get_input_handle(name)
        handle.reshape(images.shape)
        handle.copy_from_cpu(np.ascontiguousarray(images, dtype=np.float32))
        self.predictor.run()
        outputs = self.predictor.get_output_names()
        return [self.predictor.get_output_handle(n).copy_to_cpu() for n in outputs]
