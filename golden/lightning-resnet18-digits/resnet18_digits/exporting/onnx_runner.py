"""An ONNX export run by ONNX Runtime on the CPU: no torch, no paddle."""

from pathlib import Path

import numpy as np

from ..errors import UserError
from .manifest import read_manifest
from .preprocess import prepare


class OnnxModel:
    """`OnnxModel(folder).run(model.prepare(uint8_images))`: the outputs the manifest
    names, in its order, as numpy arrays."""

    def __init__(self, folder, threads: int = 0) -> None:
        """`threads`: ONNX Runtime's intra-op threads (0: its default, every core)."""
        import onnxruntime  # here: reading a manifest needs no runtime

        self.manifest = read_manifest(folder)
        if self.manifest["format"] != "onnx":
            raise UserError(
                f"export={folder} holds a {self.manifest['format']} export, not onnx:"
                " export with export.format=onnx"
            )
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.log_severity_level = 3  # errors only: its warnings are not the user's
        self.session = onnxruntime.InferenceSession(
            str(Path(folder) / self.manifest["files"][0]),
            options,
            providers=["CPUExecutionProvider"],
        )
        self.input_name = self.manifest["input"]["name"]
        self.output_names = [output["name"] for output in self.manifest["outputs"]]

    def prepare(self, images: np.ndarray) -> np.ndarray:
        """uint8 (N, C, H, W) to the float32 batch the model takes (preprocess.py)."""
        return prepare(images, self.manifest["preprocess"])

    def run(self, batch: np.ndarray) -> list:
        """The model's outputs for a float32 (N, C, H, W) batch, as the manifest names;
        of an export that takes one image at a time (torchvision's detectors: how many
        objects depends on the image), per output a list of each image's array."""
        if self.manifest["input"]["shape"][0] != 1:
            return self.session.run(self.output_names, {self.input_name: batch})
        each = [
            self.session.run(self.output_names, {self.input_name: image[None]})
            for image in batch
        ]
        return [list(output) for output in zip(*each, strict=True)]
