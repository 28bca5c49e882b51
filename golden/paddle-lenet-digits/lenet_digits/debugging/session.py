"""debug=ipdb: an exception opens ipdb where the batch and the model are in scope.

The debugger starts in paddle.Model's loop over the loader (`_run_one_epoch`): `data`
is the batch and `self` the paddle.Model whose `network` raised.
`down` walks on to the line that raised.
"""

import sys
from bdb import BdbQuit
from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import UserError, thread_cause
from ..scaling.launchers import main_process

STEPS = {"_run_one_epoch": "data"}  # paddle.hapi.model.Model._run_one_epoch


def check_terminal(debug) -> None:
    """ipdb reads its commands from stdin: a run with no terminal (a job, a pipe) would
    stop at the first prompt for nothing."""
    asked = f"debug.break_at={debug.break_at}" if debug.break_at else "debug=ipdb"
    if (debug.post_mortem or debug.break_at) and not sys.stdin.isatty():
        raise UserError(
            f"{asked} needs a terminal to type in, and stdin is not one (a job, a"
            " pipe, nohup): run train.py from a shell, or leave it out"
        )


@contextmanager
def debug_session(debug) -> Iterator[None]:
    """Run the block; with debug.post_mortem, its first exception opens ipdb, then
    goes on as it would have (the run is recorded failed, exit code 1). `q` at a
    debug.break_at stop is the user's stop: recorded interrupted, exit code 130."""
    check_terminal(debug)
    excepthook = sys.excepthook  # IPython, under ipdb, puts its crash report there
    try:
        yield
    except BdbQuit:  # q at a breakpoint outside a run's fit (train.py records those)
        print("ipdb: quit (q); the run stops here, as Ctrl-C stops it", file=sys.stderr)
        raise SystemExit(130) from None
    except (UserError, KeyboardInterrupt, SystemExit):
        raise  # said in one line already, or asked for
    except Exception as error:
        if debug.post_mortem and not from_a_thread(error) and main_process():
            post_mortem(error)
        raise
    finally:
        sys.excepthook = excepthook


def post_mortem(error: BaseException) -> None:
    """ipdb on `error`'s traceback, in the innermost step frame (STEPS) it holds."""
    import ipdb.__main__

    frames, tb = [], error.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    steps = [n for n, f in enumerate(frames) if f.f_code.co_name in STEPS]
    step = frames[steps[-1]] if steps else None
    # `up N` counts the frames IPython shows: those marked __tracebackhide__ it skips
    up = sum(not hidden(f) for f in frames[steps[-1] + 1 :]) if steps else 0
    print(f"\nipdb: {type(error).__name__}: {error}", file=sys.stderr)
    if step is not None:
        print(
            f"ipdb: in {step.f_code.co_name}, where `{STEPS[step.f_code.co_name]}` is the"
            f" batch and `self` the model; `down` walks to the line that raised ({up}"
            " frames down), `q` ends the run",
            file=sys.stderr,
        )
    # ipdb's own set-up (its config, IPython's debugger), with `up` run first: its
    # public post_mortem() always starts at the innermost frame.
    debugger = ipdb.__main__._init_pdb(commands=[f"up {up}"] if up else [])
    debugger.reset()
    debugger.interaction(None, error.__traceback__)


def from_a_thread(error: Exception) -> bool:
    """A UserError of paddle's loader thread, which reaches here as a SystemError
    (errors.py): said in one line by run_cli, no debugging needed."""
    return isinstance(error, SystemError) and thread_cause(error) is not error


def hidden(frame) -> bool:
    return bool(frame.f_locals.get("__tracebackhide__"))
