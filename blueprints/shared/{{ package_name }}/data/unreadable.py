"""Unreadable images, every one of them: a run stops naming the first (one line), and
check_data.py lists them all, so a folder is mended in one pass, not one file a run."""

from ..errors import UserError
from .decode import cannot_read

LISTED = 20  # check_data.py names this many, then counts the rest


class UnreadableImages(UserError):
    """The one line for the first file; `files` ([{"path", "reason"}]) has them all."""

    def __init__(self, files: list[dict]) -> None:
        first, more = files[0], len(files) - 1
        also = f" ({more} more unreadable files: python check_data.py lists them)"
        said = cannot_read(first["path"], first["reason"], also if more else "")
        super().__init__(str(said))
        self.files = files

    def lines(self, most: int = LISTED) -> list[str]:
        """One line per file for the first `most`, then how many more there are."""
        files = self.files
        shown = [f"unreadable {f['path']}: {f['reason']}" for f in files[:most]]
        beyond = [f"... and {len(files) - most} more"] if len(files) > most else []
        return shown + beyond
