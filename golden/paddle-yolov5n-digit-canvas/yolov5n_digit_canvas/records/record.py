"""record.json: how a run ran (command, seed, data, model, versions, hardware) and its
status: running, then finished, interrupted, failed or killed. A resumed run keeps its
record, adding when and how it was resumed.

Ctrl-C (SIGINT) and SIGTERM, what clusters send before preempting a job, stop a run the
same way: the record says `interrupted`, with the epoch and step, and one line says how
to resume; the exit code is 130 or 143, as a shell reports those signals. A run that
was killed outright (SIGKILL, a power cut) cannot say so itself: its record still says
`running` while its process is gone, and the next run in this project marks it `killed`
(and ends its TensorBoard HParams row as failed, its MLflow run as KILLED).
"""

import json
import os
import signal
import socket
import sys
from bdb import BdbQuit
from datetime import datetime
from pathlib import Path

from omegaconf import OmegaConf

from ..errors import thread_cause
from .run_dir import command_line, read_record, write_json

EXIT_CODES = {signal.SIGINT: 130, signal.SIGTERM: 143}
received: list[signal.Signals] = []  # the signal that stopped this run, if any


def stop_on_signals() -> None:
    """SIGINT and SIGTERM both raise KeyboardInterrupt where the run is, so every layer
    (Lightning's trainer, paddle.Model.fit) stops it the way it stops Ctrl-C."""

    def stop(signum, frame) -> None:
        received.append(signal.Signals(signum))
        raise KeyboardInterrupt(signal.Signals(signum).name)

    for signum in EXIT_CODES:
        signal.signal(signum, stop)


def begin_record(run_dir: Path, seed: int, **parts) -> dict:
    """The record as the run starts; `parts`: data, model, versions, hardware. From here
    on SIGINT and SIGTERM stop the run cleanly (open_run_dir marked the dead runs)."""
    stop_on_signals()
    now = datetime.now().isoformat(timespec="seconds")
    record = {"command": command_line(), "started": now, "seed": seed, **parts}
    # Which process on which machine runs it: how a later run tells it was killed.
    record |= {"owner": {"pid": os.getpid(), "host": socket.gethostname()}}
    earlier = read_record(run_dir)
    if earlier:  # resumed: the run began earlier, with another command
        record |= {
            key: earlier[key] for key in ("command", "started") if key in earlier
        }
        resumed = {"at": now, "command": command_line()}
        record["resumed"] = [*earlier.get("resumed", []), resumed]
    return {**record, "status": "running"}


def mark_killed_runs(output_dir: Path) -> None:
    """Records of this machine that say `running` for a process that is gone: killed."""
    for path in Path(output_dir).glob("*/record.json"):
        try:
            record = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        owner = record.get("owner", {})
        mine = owner.get("host") == socket.gethostname()
        if record.get("status") == "running" and mine and not alive(owner.get("pid")):
            write_json(path, {**record, "status": "killed"})
            end_tracking(path.parent)


def end_tracking(run_dir: Path) -> None:
    """A killed run's trackers told it ended (they said running): its TensorBoard
    HParams row failed, its MLflow run KILLED. Best effort: a tracker that cannot be
    reached is one warning, never the end of the run that found it dead."""
    from ..tracking.hparams import end_session  # tensorboard: only for the dead

    end_session(run_dir / "tensorboard", "killed")
    if not (run_dir / "config.yaml").is_file():
        return  # it died before its config was written: no tracker began either
    try:
        config = OmegaConf.load(run_dir / "config.yaml")
        if "mlflow" in (config.get("loggers") or []):  # a project generated with it
            from ..tracking.mlflow_runs import end_killed_run

            end_killed_run(run_dir, config.mlflow)
    except Exception as error:  # yaml's, MLflow's, a server's: many types
        said = str(error).splitlines()[0] if str(error) else type(error).__name__
        print(
            f"warning: {run_dir} was killed; its MLflow run could not be ended: {said}",
            file=sys.stderr,
        )


def alive(pid) -> bool:
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, TypeError, ValueError):
        return True  # someone else's process, or no pid: leave the record alone
    return True


def stopped_by(error: BaseException, record: dict, epoch: int, step: int) -> int:
    """Record why the run ended early: an interrupt (return its exit code) or a failure
    (return 0: re-raise the error). Lightning turns Ctrl-C into SystemExit(1). `q` at
    an ipdb prompt (debug.break_at) is the user's stop too, as Ctrl-C is."""
    quit_ipdb = isinstance(error, BdbQuit)
    if not (received or isinstance(error, KeyboardInterrupt) or quit_ipdb):
        error = thread_cause(error)
        record["status"] = f"failed: {type(error).__name__}: {error}"
        return 0
    name = received[-1] if received else signal.SIGINT
    record["status"] = "interrupted"
    record["interrupted"] = {"signal": name.name, "epoch": epoch, "step": step}
    if quit_ipdb and not received:
        record["interrupted"]["by"] = "q in ipdb"
    return EXIT_CODES[name]


def exit_interrupted(record: dict, last: Path) -> None:
    """End an interrupted run with one line on how to resume it, and its exit code."""
    stop = record["interrupted"]
    by = f" by {stop['by']}" if "by" in stop else ""
    stopped = f"interrupted{by} at epoch {stop['epoch']}, step {stop['step']}"
    # The loader's worker processes may have had the signal too (a cluster's reaches
    # every process of the job): their end is no error for torch to raise at exit.
    if hasattr(signal, "SIGCHLD"):  # not on Windows
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    if last.is_file():
        print(
            f"{stopped}; resume with: python train.py ckpt_path={last}", file=sys.stderr
        )
    else:
        print(f"{stopped}, before any epoch ended: nothing to resume", file=sys.stderr)
    raise SystemExit(EXIT_CODES[signal.Signals[stop["signal"]]])
