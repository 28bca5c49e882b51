"""The records of a COCO annotation file, each checked as it is read: the file's top
level, its categories and images, and an annotation's box and fields. A fault ends in one
line naming the file, the JSON path of the record and the fix (data/coco.py reads the
annotations with these).
"""

import json
from pathlib import Path

from ..errors import UserError
from .coco_masks import is_number

FIX = "fix the file or export it again in COCO format"


def load_json(file: Path) -> dict:
    """The file's top-level object, read once."""
    if not file.is_file():
        raise UserError(f"{file}: no such file; place the COCO annotation file there")
    try:
        with open(file, "rb") as handle:
            top = json.load(handle)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        raise UserError(f"{file}: not JSON ({where}: {error.msg}); {FIX}") from None
    except UnicodeDecodeError as error:
        raise UserError(f"{file}: not UTF-8 text (byte {error.start}); {FIX}") from None
    if not isinstance(top, dict):
        raise UserError(
            f"{file}: the top level is a {type(top).__name__}, not an object holding"
            f" images, annotations and categories; {FIX}"
        )
    return top


def read_categories(file: Path, items: list) -> tuple[dict[int, int], list[str]]:
    """{category id: 0-based index} and the names, both by ascending id."""
    names = {}
    for i, item in enumerate(items):
        category = typed(file, item, f"categories[{i}]", "id", int, "an integer id")
        if category in names:
            raise UserError(
                f"{file}: categories[{i}].id={category} appears twice; give each"
                " category its own id"
            )
        names[category] = typed(file, item, f"categories[{i}]", "name", str, "a name")
    if not names:
        raise UserError(f"{file}: categories is empty; list each class as {{id, name}}")
    ids = sorted(names)
    return {c: k for k, c in enumerate(ids)}, [names[c] for c in ids]


def read_images(file: Path, items: list, image_dir: Path) -> dict[int, dict]:
    """{image id: {id, file, height, width}}, every file found in image_dir."""
    images, missing = {}, []
    for i, item in enumerate(items):
        path = f"images[{i}]"
        image = {"id": typed(file, item, path, "id", int, "an integer id")}
        if image["id"] in images:
            raise UserError(
                f"{file}: {path}.id={image['id']} appears twice; give each image its"
                " own id"
            )
        name = typed(file, item, path, "file_name", str, "a file name")
        image["file"] = image_dir / name
        for key in ("height", "width"):
            image[key] = typed(file, item, path, key, int, "a size in pixels")
            if image[key] <= 0:
                raise UserError(
                    f"{file}: {path}.{key}={image[key]} is not positive; set the"
                    " image's size in pixels"
                )
        if not image["file"].is_file():
            missing.append(f"{path}.file_name={name}")
        images[image["id"]] = image
    if missing:
        raise UserError(
            f"{file}: {missing[0]} is not in {image_dir} ({len(missing)} of"
            f" {len(items)} listed images are missing); place them there or remove"
            " their entries"
        )
    if not images:
        raise UserError(f"{file}: images is empty; list at least one image")
    return images


def clipped_box(file: Path, path: str, bbox, image: dict) -> list | None:
    """[x, y, w, h] clipped to the image, or None when no area is left."""
    if not (isinstance(bbox, list) and len(bbox) == 4 and all(map(is_number, bbox))):
        raise UserError(
            f"{file}: {path}.bbox={short(bbox)} is not [x, y, width, height];" f" {FIX}"
        )
    x0, y0 = max(bbox[0], 0), max(bbox[1], 0)
    x1 = min(bbox[0] + bbox[2], image["width"])
    y1 = min(bbox[1] + bbox[3], image["height"])
    return [x0, y0, x1 - x0, y1 - y0] if x1 > x0 and y1 > y0 else None


def typed(file: Path, item, path: str, key: str, kind: type, what: str):
    """item[key], which must be a `kind` (a bool is no int here)."""
    if not isinstance(item, dict):
        raise UserError(f"{file}: {path}={short(item)} is not an object; {FIX}")
    value = item.get(key)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise UserError(f"{file}: {path}.{key}={short(value)} is not {what}; {FIX}")
    return value


def short(value) -> str:
    """A JSON value as the file spells it, cut to a readable length."""
    text = json.dumps(value)
    return text if len(text) <= 40 else text[:37] + "..."
