"""The network written as a file: ONNX (torch.onnx's exporter, a dynamic batch) or
TorchScript (traced; torchvision's detectors scripted, as they take a list of images).
"""

import warnings
from pathlib import Path

import torch
from torch import nn

from ..errors import UserError


def check_format(export, outputs: list) -> None:
    """Refuse, before any work, a format this network cannot be exported to."""
    if export.format == "onnx" and outputs[0]["name"] == "detections":
        raise UserError(
            "export.format=onnx: torchvision's detectors do not export to ONNX with a"
            " dynamic batch (their shapes depend on the data); set"
            " export.format=torchscript"
        )


def write_network(
    network: nn.Module, example: torch.Tensor, folder: Path, export, outputs: list
) -> list[str]:
    """Write `network` (traced on `example`) into `folder`; the files written."""
    scripted = outputs[0]["name"] == "detections"  # torchvision's: network.py
    if export.format == "torchscript":
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer notes on shapes: fixed by design
            if scripted:
                module = torch.jit.script(network)
            else:
                module = torch.jit.trace(network, example)
        torch.jit.save(module, folder / "model.pt")
        return ["model.pt"]
    batch = torch.export.Dim("batch", min=1)
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the exporter's notes on its own progress
        torch.onnx.export(
            network,
            (example,),
            str(folder / "model.onnx"),
            input_names=["images"],
            output_names=[output["name"] for output in outputs],
            opset_version=export.opset,
            dynamo=True,
            external_data=False,  # one file: the weights inside
            dynamic_shapes=({0: batch},),
            verbose=False,
        )
    return ["model.onnx"]
