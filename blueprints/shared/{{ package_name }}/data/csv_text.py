"""A CSV file's rows, read as UTF-8 text: the other encodings a spreadsheet saves (UTF-16,
Latin-1/cp1252) and files that are no text at all are named, with how to save it right.
"""

import csv
import io
from pathlib import Path

from ..errors import UserError

SAVE = "save it as a UTF-8 CSV file (Excel: Save As, 'CSV UTF-8')"


def utf16(path: Path) -> UserError:
    return UserError(
        f"{path}: UTF-16 text (Excel's 'Unicode Text') or not text at all; {SAVE}"
    )


def csv_rows(path: Path, columns: str) -> list[list[str]]:
    """The rows of a UTF-8 CSV file, or a UserError naming the line that is not;
    `columns` says which columns the rows should have, in that error."""
    data = path.read_bytes()
    head = data[:200]  # UTF-16 of Latin letters: every other byte is 0, BOM or not
    if max(head[::2].count(0), head[1::2].count(0)) > len(head) // 4 or data.startswith(
        (b"\xff\xfe", b"\xfe\xff")
    ):
        raise utf16(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:  # Latin-1/cp1252 accents, an image's bytes
        line = data[: error.start].count(b"\n") + 1
        byte = f"byte 0x{data[error.start]:02x}"
        raise UserError(
            f"{path}, line {line}: not UTF-8 text ({byte}); {SAVE}"
        ) from None
    if "\x00" in text:  # UTF-16 without its byte-order mark reads as UTF-8 with NULs
        raise utf16(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return list(reader)
    except csv.Error as error:  # a cell over csv's 131,072-character limit: no list
        raise UserError(
            f"{path}, line {reader.line_num}: not a CSV list of {columns} rows"
            f" ({error}); {SAVE}"
        ) from None
