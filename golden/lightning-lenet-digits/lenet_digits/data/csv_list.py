"""`csv`: images listed in a CSV file, data.csv=path, one image per row:

    path,label,split          (split is optional: train, val or test)
    cats/001.jpg,cat,train
    dogs/001.jpg,dog,

Paths are relative to the CSV file's folder. A missing split (no column, or an empty
cell) means train; splits no row names are carved from train like imagefolder's.
With data.url the list, and every file it names, are inside the archive's folder: an
archive cannot lead to files elsewhere on this machine (`../`, `/etc/...`).
"""

from pathlib import Path

from ..errors import UserError, did_you_mean
from .archive_url import mended_by_unpacking_again
from .arrays import Arrays
from .csv_text import csv_rows
from .folders import archive_folder
from .listing import SPLITS, Listed, class_name, load_listed

COLUMNS = "path,label[,split]"


def csv_file(cfg) -> tuple[Path, Path | None]:
    """The list of images, and the folder its files must be in: with data.url, the
    folder the archive unpacks to (the list is a path inside it), else None."""
    if not cfg.csv:
        raise UserError(
            "data.csv is not set: give data.csv=<file with path,label rows>"
        )
    if not cfg.url:
        return Path(cfg.csv), None
    folder = archive_folder(cfg)
    if not inside(folder / cfg.csv, folder):
        raise UserError(
            f"data.csv={cfg.csv} leads out of {folder}, where data.url={cfg.url}"
            " unpacks: with data.url, give the list's path inside the archive"
        )
    return folder / cfg.csv, folder


def download(info, cfg) -> None:
    """Nothing to download: the list is checked now, before a run directory exists."""
    path, folder = csv_file(cfg)
    with mended_by_unpacking_again(cfg.url, folder):
        listed_files(path, folder)


def load(info, cfg) -> Arrays:
    path, folder = csv_file(cfg)
    with mended_by_unpacking_again(cfg.url, folder):
        listed = listed_files(path, folder)
    return load_listed(listed, f"data.csv={path}", cfg)


def inside(path: Path, folder: Path) -> bool:
    """Whether `path` is in `folder` once `..` and links are followed."""
    return path.resolve().is_relative_to(folder.resolve())


def listed_files(path: Path, folder: Path | None = None) -> Listed:
    """{split: [(file, label)]} for the splits the rows name (train at least); with
    `folder` (data.url's), a row naming a file outside it is refused."""
    if not path.is_file():
        raise UserError(f"data.csv={path}: no such file")
    rows = csv_rows(path, COLUMNS)
    if not rows:
        raise UserError(f"{path} is empty: it needs a header row {COLUMNS}")
    header = [cell.strip().lower() for cell in rows[0]]
    for column in ("path", "label"):
        if column not in header:
            raise UserError(
                f"{path}, line 1: no '{column}' column (found {','.join(header)});"
                f" the header must name {COLUMNS}"
            )
    listed: Listed = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue  # blank lines
        if len(row) != len(header):
            raise UserError(
                f"{path}, line {line}: {len(row)} cells, the header has {len(header)}"
            )
        cells = dict(zip(header, (cell.strip() for cell in row), strict=True))
        split = cells.get("split") or "train"
        if split not in SPLITS:
            hint = did_you_mean(split, SPLITS)
            raise UserError(
                f"{path}, line {line}: split '{split}' is not train, val or test.{hint}"
            )
        if not cells["path"] or not cells["label"]:
            raise UserError(f"{path}, line {line}: empty path or label")
        image = path.parent / cells["path"]
        if folder and not inside(image, folder):
            raise UserError(
                f"{path}, line {line}: {cells['path']} leads out of {folder}, where"
                " data.url unpacks: a list in an archive may name only files inside it"
            )
        if not image.is_file():
            raise UserError(
                f"{path}, line {line}: no such image {image} (paths are relative to the"
                " CSV file's folder)"
            )
        listed.setdefault(split, []).append((image, class_name(cells["label"])))
    if "train" not in listed:
        raise UserError(
            f"{path}: no training rows; add rows with split train (or none)"
        )
    labels = {label for _, label in listed["train"]}
    if len(labels) < 2:
        raise UserError(
            f"{path}: only one label ({labels.pop()}); a classifier needs two or more"
        )
    for split, files in listed.items():
        unknown = sorted({label for _, label in files} - labels)
        if unknown:
            raise UserError(
                f"{path}: {split} rows have labels no train row has: {', '.join(unknown[:5])}"
            )
    return listed
