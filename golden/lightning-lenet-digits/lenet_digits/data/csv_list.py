"""`csv`: images listed in a CSV file, data.csv=path, one image per row:

    path,label,split          (split is optional: train, val or test)
    cats/001.jpg,cat,train
    dogs/001.jpg,dog,

Paths are relative to the CSV file's folder. A missing split (no column, or an empty
cell) means train; splits no row names are carved from train like imagefolder's.
"""

import csv
import io
from pathlib import Path

from ..errors import UserError, did_you_mean
from .arrays import Arrays
from .folders import archive_folder
from .listing import SPLITS, Listed, load_listed

COLUMNS = "path,label[,split]"


def csv_file(cfg) -> Path:
    """The list of images; with data.url, a path inside the archive it unpacks to."""
    if not cfg.csv:
        raise UserError(
            "data.csv is not set: give data.csv=<file with path,label rows>"
        )
    return archive_folder(cfg) / cfg.csv if cfg.url else Path(cfg.csv)


def download(info, cfg) -> None:
    """Nothing to download: the list is checked now, before a run directory exists."""
    listed_files(csv_file(cfg))


def load(info, cfg) -> Arrays:
    path = csv_file(cfg)
    return load_listed(listed_files(path), f"data.csv={path}", cfg)


def listed_files(path: Path) -> Listed:
    """{split: [(file, label)]} for the splits the rows name (train at least)."""
    if not path.is_file():
        raise UserError(f"data.csv={path}: no such file")
    rows = csv_rows(path)
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
        if not image.is_file():
            raise UserError(
                f"{path}, line {line}: no such image {image} (paths are relative to the"
                " CSV file's folder)"
            )
        listed.setdefault(split, []).append((image, cells["label"]))
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


def csv_rows(path: Path) -> list[list[str]]:
    """The rows of a UTF-8 CSV file, or a UserError naming the line that is not."""
    data = path.read_bytes()
    save = "save it as a UTF-8 CSV file (Excel: Save As, 'CSV UTF-8')"
    utf16 = f"{path}: UTF-16 text (Excel's 'Unicode Text') or not text at all; {save}"
    head = data[:200]  # UTF-16 of Latin letters: every other byte is 0, BOM or not
    if max(head[::2].count(0), head[1::2].count(0)) > len(head) // 4 or data.startswith(
        (b"\xff\xfe", b"\xfe\xff")
    ):
        raise UserError(utf16)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:  # Latin-1/cp1252 accents, an image's bytes
        line = data[: error.start].count(b"\n") + 1
        byte = f"byte 0x{data[error.start]:02x}"
        raise UserError(
            f"{path}, line {line}: not UTF-8 text ({byte}); {save}"
        ) from None
    if "\x00" in text:  # UTF-16 without its byte-order mark reads as UTF-8 with NULs
        raise UserError(utf16)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return list(reader)
    except csv.Error as error:  # a cell over csv's 131,072-character limit: no list
        raise UserError(
            f"{path}, line {reader.line_num}: not a CSV list of {COLUMNS} rows"
            f" ({error}); {save}"
        ) from None
