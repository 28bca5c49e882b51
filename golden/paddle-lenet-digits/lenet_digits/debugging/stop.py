"""debug.break_at: the stop itself, the same on both twins."""

import sys

from ..scaling.launchers import main_process


def stop_at(hook: str, batch, model) -> None:
    """Open ipdb in this frame: `batch` and `model` are its arguments; `c` goes on
    training, `q` ends the run."""
    if not main_process():  # one terminal, one debugger: rank 0's
        return
    import ipdb

    print(
        f"\nipdb: debug.break_at={hook}: `batch` and `model` are in scope;"
        " `c` trains on, `q` ends the run",
        file=sys.stderr,
    )
    ipdb.set_trace()
    return  # ipdb stops here, in this frame, before it returns
