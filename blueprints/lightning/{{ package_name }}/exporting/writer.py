"""The network written as a file: ONNX (torch.onnx's exporter, a dynamic batch;
torchvision's detectors one image at a time) or TorchScript (traced; torchvision's
detectors scripted, as they take a list of images).
"""

import warnings
from pathlib import Path

import torch
from torch import nn


def write_network(
    network: nn.Module, example: torch.Tensor, folder: Path, export, outputs: list
) -> list[str]:
    """Write `network` (traced on `example`) into `folder`; the files written."""
    scripted = outputs[0]["name"] == "detections"  # torchvision's: network.py
    if export.format == "torchscript":
        with torch.no_grad(), warnings.catch_warnings():
            # tracer notes on shapes (fixed by design); torch.jit is deprecated in
            # favour of torch.export, and still supported
            warnings.simplefilter("ignore")
            if scripted:
                module = torch.jit.script(network)
            else:
                module = torch.jit.trace(network, example)
            torch.jit.save(module, folder / "model.pt")
        return ["model.pt"]
    if getattr(network, "one_image", False):
        return write_one_image(network, example[:1], folder, export, outputs)
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


def write_one_image(
    network: nn.Module, example: torch.Tensor, folder: Path, export, outputs: list
) -> list[str]:
    """torchvision's detectors to ONNX, one image at a time: torch's dynamo exporter
    fails on their data-dependent shapes, its older tracing exporter writes them (the
    ONNX graph keeps the number of objects dynamic; the batch is fixed at one)."""
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the tracer's notes; its deprecation
        torch.onnx.export(
            network,
            (example,),
            str(folder / "model.onnx"),
            input_names=["images"],
            output_names=[output["name"] for output in outputs],
            opset_version=export.opset,
            dynamo=False,
            verbose=False,
        )
    return ["model.onnx"]
