"""Mistakes a user can fix end in one readable message and exit code 2, not a traceback."""

import difflib
import errno
import sys
from collections.abc import Callable, Iterable


class UserError(Exception):
    """A bad config, a missing file, no network: something the user can fix. Its
    message is one line, even where it quotes an argument that holds a line break."""

    def __init__(self, message: str) -> None:
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


def check_epochs_left(ckpt_path: str, done: int, max_epochs: int) -> None:
    """Resuming a run that already trained trainer.max_epochs has nothing to do."""
    if 0 < max_epochs <= done:
        raise UserError(
            f"ckpt_path={ckpt_path}: this run already trained {done} of"
            f" trainer.max_epochs={max_epochs} epochs; raise trainer.max_epochs, or start"
            " a new run from its weights: model.pretrained=<the checkpoint>"
        )


def raise_if_no_room(error: OSError, path) -> None:
    """A full disk or quota while writing a checkpoint: say so, and that the ones
    already there are whole (they are written under another name, then renamed)."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        raise UserError(
            f"no room to write {path} ({error.strerror}): free space or set output_dir"
            " to a bigger disk; the checkpoints already there are whole"
        ) from None


def run_cli(main: Callable[[list[str]], None]) -> None:
    """Run a script's main, turning a UserError, or an OSError (the disk's or the
    system's no), into one line and exit code 2."""
    try:
        main(sys.argv[1:])
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    except OSError as error:  # the disk or the system said no: missing, read-only, full
        where = f": {error.filename}" if error.filename else ""
        print(
            f"error: {error.strerror or error}{where} (is the folder there, writable,"
            " with space left? data.root and output_dir choose where runs read and write)",
            file=sys.stderr,
        )
        raise SystemExit(2) from None
