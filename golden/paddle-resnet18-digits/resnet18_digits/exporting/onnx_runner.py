"""STAND-IN (serve branch) for lexport's exporting/onnx_runner.py: OnnxModel(folder)."""

import numpy as np
import onnxruntime

from .manifest import read_manifest


class OnnxModel:
    def __init__(self, folder) -> None:
        self.manifest = read_manifest(folder)
        path = f"{folder}/{self.manifest['files'][0]}"
        self.session = onnxruntime.InferenceSession(
            path, providers=["CPUExecutionProvider"]
        )
        pre = self.manifest["preprocess"]
        self.mean = np.array(pre["mean"], np.float32)[None, :, None, None]
        self.std = np.array(pre["std"], np.float32)[None, :, None, None]

    def prepare(self, images: np.ndarray) -> np.ndarray:
        return ((images.astype(np.float32) / 255) - self.mean) / self.std

    def run(self, batch: np.ndarray) -> list[np.ndarray]:
        return self.session.run(None, {self.manifest["input"]["name"]: batch})
