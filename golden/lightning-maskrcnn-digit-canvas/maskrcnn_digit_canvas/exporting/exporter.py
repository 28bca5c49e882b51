"""export.py: a checkpoint written as an ONNX or TorchScript file with its manifest
(exporting/manifest.py), checked against the checkpoint on test images
(verification.py), in runs/<run>/export/ or export.out, whole or not at all."""

import sys
import warnings
from pathlib import Path

import torch

from ..checkpoint import load_trained
from ..data.instance_data import InstanceData
from ..quiet import quiet_lightning
from .folder import building
from .manifest import source_of, versions_of, write_manifest
from .network import exported
from .onnx_runner import OnnxModel
from .verification import normalisation, verify
from .writer import write_network

RESIZE = "PIL bilinear to size, after EXIF orientation and conversion to gray or RGB"


def export(cfg, folder: Path) -> dict:
    """The export written to `folder` (arguments.export_folder: checked) and verified;
    its manifest."""
    quiet_lightning()
    model = load_trained(cfg.ckpt_path)
    network, outputs, postprocess = exported(model, cfg.export.format)
    test = test_images(cfg) if cfg.export.verify else None  # data problems: first
    data = model.hparams["data"]
    channels, size = data["channels"], data["image_size"]
    mean, std = normalisation(model)
    preprocess = {"channels": channels, "size": [size, size], "resize": RESIZE}
    preprocess |= {"scale": 1 / 255, "mean": list(mean), "std": list(std)}
    one_image = getattr(network, "one_image", False)  # torchvision's detectors
    shape = [1 if one_image else None, channels, size, size]
    example = torch.zeros(cfg.export.batch_size, *shape[1:])
    with building(folder) as part:
        files = write_network(network, example, part, cfg.export, outputs)
        manifest = {"format": cfg.export.format, "files": files}
        manifest |= {"task": "instance_segmentation", "backend": "lightning"}
        manifest["input"] = {"name": "images", "dtype": "float32", "layout": "NCHW"}
        manifest["input"]["shape"] = shape
        manifest |= {"preprocess": preprocess, "outputs": outputs}
        manifest |= {"postprocess": postprocess, "class_names": data["class_names"]}
        manifest["opset"] = cfg.export.opset if cfg.export.format == "onnx" else None
        manifest["source"] = source_of(cfg.ckpt_path)
        manifest["versions"] = versions_of("torch", "onnx", "onnxscript", "onnxruntime")
        # The verification reads the manifest, as a server would: until it is done,
        # the manifest (in the work folder only) says so, never a skip not asked for.
        skipped = {"skipped": "export.verify=false"}
        pending = {"pending": "being verified"}
        manifest["verification"] = skipped if test is None else pending
        write_manifest(part, manifest)
        if test is not None:
            run = runner(part, cfg.export.format, one_image)
            batch_size = cfg.export.verify_batch_size
            found = verify(model, network, run, preprocess, test, batch_size)
            manifest["verification"] = found
            write_manifest(part, manifest)
        else:
            print(
                "warning: export.verify=false: this export was NOT checked against its"
                " checkpoint",
                file=sys.stderr,
            )
    return manifest


def runner(part: Path, format: str, one_image: bool):
    """The export as a function of a float32 numpy batch to its numpy outputs (each
    image's detections, for torchvision's detectors)."""
    if format == "onnx" and one_image:
        model = OnnxModel(part)

        def run_each(batch):
            outputs = model.run(batch)  # per output, a list of each image's
            images = zip(*outputs, strict=True)
            named = [zip(model.output_names, image, strict=True) for image in images]
            return [{n: torch.from_numpy(a) for n, a in image} for image in named]

        return run_each
    if format == "onnx":
        return OnnxModel(part).run
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch.jit is deprecated (still supported)
        module = torch.jit.load(part / "model.pt")

    def run(batch):
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # R-CNN's "(Losses, Detections) tuple"
            answer = module(torch.from_numpy(batch))
        if isinstance(answer, list):  # torchvision's detections: a dict per image
            return answer
        answer = answer if isinstance(answer, tuple) else (answer,)
        return [tensor.numpy() for tensor in answer]

    return run


def test_images(cfg) -> tuple:
    """The first export.verify_images test images (uint8) and their targets."""
    data = InstanceData(cfg.data, cfg.seed)
    data.prepare_data()
    data.setup("test")
    images, targets, count = [], [], 0
    for batch in data.test_dataloader():
        images.append(batch[0])
        targets.append(batch[1])
        count += len(batch[0])
        if count >= cfg.export.verify_images:
            break
    wanted = cfg.export.verify_images
    if isinstance(targets[0], torch.Tensor):
        return torch.cat(images)[:wanted], torch.cat(targets)[:wanted]
    return torch.cat(images)[:wanted], [t for batch in targets for t in batch][:wanted]
