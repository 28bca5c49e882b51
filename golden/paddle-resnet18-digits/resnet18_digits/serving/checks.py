"""An export's manifest checked against its ONNX model at start-up: a manifest edited
by hand (another input name, channel count, size or class count than the model's), or
a model file swapped for another, would otherwise start a server whose every answer is
a 500. The model's shapes are compared first, then the model runs once on a blank
image, and what it answers is checked as /predict will read it: each output's
dimensions for one image, the class count, and finite values."""

import numpy as np

from ..errors import UserError
from ..exporting.manifest import AGAIN, BEST

TORCHVISION = {"boxes": "k4", "scores": "k", "labels": "k", "masks": "k1HW"}
# one image's answer as /predict reads it, per output: a digit is a fixed size, K the
# class count, a letter one that every output naming it shares
SHAPES = {
    "classification": {0: "K"},
    "segmentation": {0: "KHW"},
    "detection": {"boxes": "A4", "scores": "AK"},  # YOLOv5's candidates
}


def check_manifest_against_model(folder, manifest: dict, session) -> None:
    """A UserError naming the first field of `manifest` that the `onnxruntime`
    session's model contradicts; only the dimensions its shapes fix are compared."""
    taken = {given.name: given.shape for given in session.get_inputs()}
    name = manifest["input"]["name"]
    if name not in taken:
        refuse(folder, "input.name", f"{name!r}; model.onnx takes {', '.join(taken)}")
    preprocess, shape = manifest["preprocess"], list(taken[name])
    channels, size = preprocess["channels"], list(preprocess["size"])
    batch = manifest["input"]["shape"][0]
    if len(shape) == 4 and fixed(shape[0]) and shape[0] != batch:
        many = "any number of" if batch is None else batch
        refuse(folder, "input.shape", f"{many} images; model.onnx takes {shape[0]}")
    if len(shape) == 4 and fixed(shape[1]) and shape[1] != channels:
        refuse(
            folder, "preprocess.channels", f"{channels}; model.onnx takes {shape[1]}"
        )
    if len(shape) == 4 and all(map(fixed, shape[2:])) and shape[2:] != size:
        refuse(folder, "preprocess.size", f"{size}; model.onnx takes {shape[2:]}")
    for key in ("mean", "std"):
        if len(preprocess[key]) != channels:
            refuse(folder, f"preprocess.{key}", f"{preprocess[key]}; one per channel")
    answers = {given.name: given.shape for given in session.get_outputs()}
    for number, output in enumerate(manifest["outputs"]):
        if output["name"] not in answers:
            model = f"model.onnx answers {', '.join(answers)}"
            refuse(folder, f"outputs[{number}].name", f"{output['name']!r}; {model}")


def try_the_model(folder, model) -> None:
    """`model` (exporting/onnx_runner.py's OnnxModel) run once on a blank image, its
    answer checked; a UserError for the first thing /predict could not answer from."""
    manifest, preprocess = model.manifest, model.manifest["preprocess"]
    blank = np.zeros((1, preprocess["channels"], *preprocess["size"]), np.uint8)
    try:
        outputs = model.run(model.prepare(blank))
    except Exception as error:  # ONNX Runtime's, of any kind
        first = (str(error).strip() or type(error).__name__).splitlines()[0]
        raise UserError(
            f"export={folder}: model.onnx fails on a blank image ({first}); {AGAIN}"
        ) from None
    batched = manifest["input"]["shape"][0] != 1  # else: a list of each image's
    names = [output["name"] for output in manifest["outputs"]]
    seen = {"K": len(manifest["class_names"])}
    for key, dims in expected(manifest, names).items():
        number = key if isinstance(key, int) else names.index(key)
        output = outputs[number]
        shape = np.shape(output) if batched else (1, *np.shape(output[0]))
        if len(shape) != len(dims) + 1 or shape[0] != 1:
            said = f"{names[number]}: {list(shape)}; one image's is {list(dims)}"
            refuse(folder, f"outputs[{number}]", said)
        for dim, size in zip(dims, shape[1:], strict=True):
            if dim == "K" and size != seen["K"]:
                said = f"{seen['K']} classes; model.onnx answers {size}"
                refuse(folder, "class_names", said)
            if seen.setdefault(dim, int(dim) if dim.isdigit() else size) != size:
                said = f"{names[number]}: {list(shape)}; one image's is {list(dims)}"
                refuse(folder, f"outputs[{number}]", said)
        values = np.asarray(output[0])
        if values.dtype.kind == "f" and not np.isfinite(values).all():
            raise UserError(
                f"export={folder}: model.onnx answers nan or inf ({names[number]}) for"
                " a blank image (weights not finite?), so every answer would fail;"
                " export a checkpoint of finite weights: python export.py"
                f" ckpt_path=runs/<run>/checkpoints/{BEST}"
            )


def expected(manifest: dict, names: list) -> dict:
    """Per output (its number or name), the dimensions of one image's."""
    task = manifest["task"]
    if task in SHAPES and not (task == "detection" and "labels" in names):
        return SHAPES[task]
    return {name: TORCHVISION[name] for name in names if name in TORCHVISION}


def fixed(dim) -> bool:
    """A dimension the model fixes (a dynamic one is a name or None)."""
    return isinstance(dim, int) and dim > 0


def refuse(folder, field: str, detail: str) -> None:
    raise UserError(
        f"export={folder}: manifest.json's {field} does not match its model ({detail});"
        f" {AGAIN}"
    )
