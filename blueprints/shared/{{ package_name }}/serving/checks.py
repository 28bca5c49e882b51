"""An export's manifest checked against its ONNX model at start-up: a manifest edited
by hand (another input name, channel count, size or class count than the model's)
would otherwise start a server whose every answer is a 500."""

from ..errors import UserError
from ..exporting.manifest import AGAIN

# which axis of the output that scores the classes (a detector's `scores`) counts them
CLASS_AXIS = {"classification": 1, "segmentation": 1, "detection": -1}


def check_manifest_against_model(folder, manifest: dict, session) -> None:
    """A UserError naming the first field of `manifest` that the `onnxruntime`
    session's model contradicts; only the dimensions its shapes fix are compared."""
    taken = {given.name: given.shape for given in session.get_inputs()}
    name = manifest["input"]["name"]
    if name not in taken:
        refuse(folder, "input.name", f"{name!r}; model.onnx takes {', '.join(taken)}")
    preprocess, shape = manifest["preprocess"], list(taken[name])
    channels, size = preprocess["channels"], list(preprocess["size"])
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
    count, classes = len(manifest["class_names"]), classes_of(manifest, answers)
    if fixed(classes) and classes != count:
        refuse(folder, "class_names", f"{count} classes; model.onnx answers {classes}")


def classes_of(manifest: dict, answers: dict):
    """How many classes the model answers for, where an output's shape says so: a
    classifier's logits (N, K), a segmenter's (N, K, H, W), YOLO's scores (N, A, K);
    torchvision's detectors answer a label per object, which fixes none."""
    names = [output["name"] for output in manifest["outputs"]]
    axis = CLASS_AXIS.get(manifest["task"])
    if axis is None or "labels" in names:
        return None
    shape = answers.get("scores" if manifest["task"] == "detection" else names[0])
    return shape[axis] if shape and len(shape) >= 2 else None


def fixed(dim) -> bool:
    """A dimension the model fixes (a dynamic one is a name or None)."""
    return isinstance(dim, int) and dim > 0


def refuse(folder, field: str, detail: str) -> None:
    raise UserError(
        f"export={folder}: manifest.json's {field} does not match its model ({detail});"
        f" {AGAIN}"
    )
