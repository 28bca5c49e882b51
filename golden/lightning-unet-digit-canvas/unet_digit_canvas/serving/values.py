"""The values of an export's manifest that serve.py uses, checked for their type and
range before the model loads: a manifest edited by hand (`std` of 0, a `scale` in
quotes, no `class_names`...) is refused in one line naming the field, rather than
started to answer 500 to every request. Whether they agree with model.onnx is
serving/checks.py's."""

import json
import math
from pathlib import Path

from ..errors import UserError
from ..exporting.manifest import AGAIN, MANIFEST

# the outputs each task's answers read by name (classifiers, segmenters: the first)
NEEDED = {"detection": ["boxes", "scores"]}
NEEDED["instance_segmentation"] = ["boxes", "scores", "labels", "masks"]
CHOICE = ["score_threshold", "iou_threshold", "max_detections", "max_candidates"]


def check_files(folder: Path) -> None:
    """`files`: plain names of files inside `folder` (a path would be read wherever it
    points); a manifest that is not JSON is left for read_manifest to say so."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return
    if not isinstance(manifest, dict) or "files" not in manifest:
        return  # read_manifest says what it lacks
    files = manifest["files"]
    if not isinstance(files, list) or not files or not all(map(plain, files)):
        rule = 'the names of its files in the export folder, the model first: ["model.onnx"]'
        wrong(folder, "files", files, rule)


def check_values(folder: Path, manifest: dict) -> None:
    """A UserError naming the first value `manifest` cannot be served with."""

    def need(field: str, good, rule: str) -> None:
        if not good(value := dig(manifest, *field.split("."))):
            wrong(folder, field, value, rule)

    task = manifest["task"]
    need("input", is_dict, "an object: name, shape")
    need("input.name", lambda v: isinstance(v, str) and v, "the model's input name")
    need("input.shape", lambda v: sizes(v, 4), "[N, C, H, W]: sizes, or null for any")
    need("preprocess", is_dict, "an object: channels, size, scale, mean, std")
    need("preprocess.channels", lambda v: v in (1, 3) and v is not True, "1 or 3")
    square = "[S, S]: a square's size in pixels"
    need("preprocess.size", lambda v: sizes(v, 2) and v[0] == v[1] and v[0], square)
    need("preprocess.scale", lambda v: number(v) and v > 0, "a number above 0: 1/255")
    need("preprocess.mean", numbers, "a list of numbers, one per channel")
    above = "a list of numbers above 0, one per channel"
    need("preprocess.std", lambda v: numbers(v) and min(v) > 0, above)
    need("outputs", named, 'the model\'s outputs, [{"name": "logits"}...]')
    names = [output["name"] for output in manifest["outputs"]]
    needed = NEEDED.get(task, names[:1])
    rule = f"outputs of distinct names, {' and '.join(needed)} among them"
    need("outputs", lambda v: distinct(names) and {*needed} <= {*names}, rule)
    need("class_names", distinct, "a list of distinct class names")
    need("source", is_dict, "an object: the checkpoint's sha256")
    if task in NEEDED:  # detectors: the objects kept
        need("postprocess", is_dict, "an object: score_threshold, ...")
        need("postprocess.score_threshold", share, "a score, 0 to 1")
    if task in NEEDED and "labels" not in names:  # YOLOv5's: select_objects' arguments
        need("postprocess", lambda v: set(v) <= {*CHOICE}, ", ".join(CHOICE))
        need("postprocess.iou_threshold", share, "an overlap, 0 to 1")
        need("postprocess.max_detections", count, "a count, 1 or more")
        if "max_candidates" in manifest["postprocess"]:  # absent: 30000
            need("postprocess.max_candidates", count, "a count, 1 or more")
    if field := unsayable(manifest, ""):  # /metadata answers the manifest as JSON
        wrong(folder, field[1:], math.nan, "a finite number")


def unsayable(value, path: str) -> str:
    """The path of the first nan or inf in `value` ("" when none)."""
    if isinstance(value, float) and not math.isfinite(value):
        return path
    keys = value if isinstance(value, dict) else []
    for key in range(len(value)) if isinstance(value, list) else keys:
        where = f"{path}.{key}" if isinstance(value, dict) else f"{path}[{key}]"
        if found := unsayable(value[key], where):
            return found
    return ""


def dig(manifest: dict, *keys):
    for key in keys:
        manifest = manifest.get(key) if isinstance(manifest, dict) else None
    return manifest


def is_dict(value) -> bool:
    return isinstance(value, dict)


def number(value) -> bool:
    good = isinstance(value, (int, float)) and not isinstance(value, bool)
    return good and math.isfinite(value)


def numbers(value) -> bool:
    return isinstance(value, list) and value and all(map(number, value))


def count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def sizes(value, many: int) -> bool:
    """A list of `many` sizes, each 1 or more or null (any)."""
    good = isinstance(value, list) and len(value) == many
    return good and all(v is None or count(v) for v in value)


def named(value) -> bool:
    """A list of outputs, each an object with a name."""
    good = isinstance(value, list) and value
    return good and all(
        isinstance(o, dict) and isinstance(o.get("name"), str) for o in value
    )


def distinct(value) -> bool:
    """A list of distinct texts."""
    good = isinstance(value, list) and value and all(isinstance(v, str) for v in value)
    return good and len(set(value)) == len(value)


def plain(name) -> bool:
    """A file's name, no folder in it."""
    return isinstance(name, str) and name not in ("", "..") and Path(name).name == name


def share(value) -> bool:
    return number(value) and 0 <= value <= 1


def wrong(folder, field: str, value, rule: str) -> None:
    shown = json.dumps(value)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    raise UserError(
        f"export={folder}: manifest.json's {field} is {shown}, not {rule}; {AGAIN}"
    )
