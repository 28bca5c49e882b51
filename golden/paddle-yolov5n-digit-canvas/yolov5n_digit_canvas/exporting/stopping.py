"""Ctrl-C and SIGTERM during export.py: its work cleared (exporting/folder.py), one
line, exit code 130 or 143, as train.py ends (records/record.py's signal handling);
once the export is in place, noted only: export.py ends as done."""

import signal
import sys
from contextlib import contextmanager

from ..records.record import EXIT_CODES, received, stop_on_signals


@contextmanager
def signals_held(for_good: bool = False):
    """SIGINT and SIGTERM noted but not acted on while the folders are swapped or
    cleared: a stop then would leave either half done. `for_good`: still held after
    the block if it ends well (the export is in place: what is left of export.py is to
    say so, and a stop from then on waits for its end, exit 0)."""

    def note(signum, frame) -> None:
        received.append(signal.Signals(signum))

    handlers = {signum: signal.signal(signum, note) for signum in EXIT_CODES}
    done = False
    try:
        yield
        done = for_good
    finally:
        for signum, handler in handlers.items():
            if not done:
                signal.signal(signum, handler)


@contextmanager
def stopped_cleanly():
    """Ctrl-C and SIGTERM raise KeyboardInterrupt (train.py's stop_on_signals), so
    `building` clears its work on the way out; then one line, and exit code 130 or
    143 as a shell reports those signals, not a traceback."""
    stop_on_signals()
    try:
        yield
    except BaseException as error:
        if not (received or isinstance(error, KeyboardInterrupt)):
            raise
        name = received[0] if received else signal.SIGINT
        if hasattr(signal, "SIGCHLD"):  # loader workers that had it too: no error
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        print(f"export stopped by {name.name}: no export written", file=sys.stderr)
        raise SystemExit(EXIT_CODES[name]) from None
