"""Mistakes a user can fix end in one readable message and exit code 2, not a traceback."""

import difflib
import errno
import os
import re
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable

from .config.home import home_expanded

# How torch and paddle begin the message of an error re-raised from a worker process.
WRAPPED = ("Caught UserError in DataLoader worker", "DataLoader worker(")


class UserError(Exception):
    """A bad config, a missing file, no network: something the user can fix. Its
    message is one line, even where it quotes an argument that holds a line break."""

    def __init__(self, message: str) -> None:
        if message.startswith(WRAPPED):  # a DataLoader worker's, re-raised here with
            # the worker's traceback around it: its own last line is the message
            message = message.rstrip().rsplit("UserError: ", 1)[-1]
        super().__init__(message.replace("\r", "\\r").replace("\n", "\\n"))


def did_you_mean(word: str, options: Iterable[str], prefix: str = "") -> str:
    """' Did you mean x?' for the closest options, or '' when none is close."""
    close = difflib.get_close_matches(word, list(options), n=2, cutoff=0.7)
    return f" Did you mean {' or '.join(prefix + c for c in close)}?" if close else ""


def loss_not_finite(value: float, step: int, epoch: int, lr: float) -> UserError:
    """A loss of nan or inf never recovers: the run stops and says where, and how."""
    return UserError(
        f"train/loss became {value} at step {step} (epoch {epoch}): lower"
        f" optimizer.lr (now {lr:g}) or set trainer.gradient_clip_val"
    )


def raise_if_no_room(error: OSError, path) -> None:
    """A full disk or quota while writing a checkpoint: say so, and that the ones
    already there are whole (they are written under another name, then renamed)."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        raise UserError(
            f"no room to write {path} ({error.strerror}): free space or set output_dir"
            " to a bigger disk; the checkpoints already there are whole"
        ) from None


# Failures of the machine, not of the config: the doctor finds which (python doctor.py).
ENVIRONMENT_ERRNOS = (errno.ENOSPC, errno.EDQUOT, errno.EROFS)  # no room, read-only
ENVIRONMENT_ERRNOS += (errno.EACCES, errno.EPERM)  # not allowed
GPU_WORDS = re.compile(r"CUDA|cuDNN|cudnn|NCCL|NVIDIA|nvidia|driver|libcu")


def environment_failure(error: Exception) -> bool:
    """A library pinned in requirements.txt that does not import, or a CUDA or driver
    error (running out of GPU memory is the run's own, not the machine's)."""
    if isinstance(error, ImportError):
        return (error.name or "").split(".")[0] != __name__.split(".")[0]
    said = str(error)
    return bool(GPU_WORDS.search(said)) and "out of memory" not in said


IN_THREADS: list = []  # UserErrors raised in threads: paddle re-raises its loader
# workers' errors in a reader thread, and the main thread gets a SystemError instead


def keep_thread_errors(args) -> None:
    if isinstance(args.exc_value, UserError):
        IN_THREADS.append(args.exc_value)
    else:
        threading.__excepthook__(args)


def thread_cause(error: BaseException) -> BaseException:
    """The UserError a thread raised on the way to `error`, or `error` itself."""
    for _ in range(0 if isinstance(error, UserError) else 40):
        if IN_THREADS:  # the thread may still be on its way to the hook: wait 2 s
            return IN_THREADS[0]
        time.sleep(0.05)
    return error


def run_cli(main: Callable[[list[str]], None]) -> None:
    """Run a script's main, turning a UserError, or an OSError (the disk's or the
    system's no), into one line and exit code 2; a failure of the machine (a library
    that does not import, CUDA, the driver) ends by naming python doctor.py."""
    threading.excepthook = keep_thread_errors
    try:
        try:
            main([home_expanded(arg) for arg in sys.argv[1:]])
        except Exception as error:
            if (cause := thread_cause(error)) is not error:
                raise cause from None
            raise
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    except KeyboardInterrupt:  # Ctrl-C where the script keeps nothing to stop cleanly
        print("stopped by Ctrl-C", file=sys.stderr)
        raise SystemExit(130) from None  # as a shell reports SIGINT
    except BrokenPipeError:  # the reader left (`| head`): nothing is wrong, say nothing
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # flush at exit
        raise SystemExit(141) from None  # as a shell reports SIGPIPE
    except OSError as error:  # the disk or the system said no: missing, read-only, full
        if error.filename is None and environment_failure(error):
            stopped_by_the_machine(error)  # a CUDA library that would not load
        where = f": {error.filename}" if error.filename else ""
        machine = error.errno in ENVIRONMENT_ERRNOS
        doctor = "; python doctor.py checks them" if machine else ""
        print(
            f"error: {error.strerror or error}{where} (is the folder there, writable,"
            " with space left? data.root and output_dir choose where runs read and"
            f" write{doctor})",
            file=sys.stderr,
        )
        raise SystemExit(2) from None
    except Exception as error:
        if not environment_failure(error):
            raise
        stopped_by_the_machine(error)


def stopped_by_the_machine(error: Exception) -> None:
    """The traceback (where it broke), then a last line that names python doctor.py."""
    traceback.print_exc()
    first_line = str(error).split("\n")[0]
    print(
        f"error: {type(error).__name__}: {first_line}: the machine, not the config,"
        " stopped this run; python doctor.py says what to mend",
        file=sys.stderr,
    )
    raise SystemExit(1) from None
