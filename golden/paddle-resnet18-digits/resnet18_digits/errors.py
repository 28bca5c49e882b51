"""Mistakes a user can fix end in one readable message and exit code 2, not a traceback."""

import difflib
import sys
from collections.abc import Callable, Iterable


class UserError(Exception):
    """A bad config, a missing file, no network: something the user can fix."""


def did_you_mean(word: str, options: Iterable[str], prefix: str = "") -> str:
    """' Did you mean x?' for the closest options, or '' when none is close."""
    close = difflib.get_close_matches(word, list(options), n=2, cutoff=0.7)
    return f" Did you mean {' or '.join(prefix + c for c in close)}?" if close else ""


def run_cli(main: Callable[[list[str]], None]) -> None:
    """Run a script's main, turning a UserError into a message and exit code 2."""
    try:
        main(sys.argv[1:])
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        raise SystemExit(2) from None
