"""A run as one row of TensorBoard's HParams tab: its config's values, its status.

The tab reads each run's session start (the values of every key of the resolved config)
and end (finished, interrupted or failed; for a killed run, written by whoever finds it
dead), and takes its metric columns from the scalars the run logged beside them
(train/loss, val/..., test/..., at their last values). No experiment summary is
written: TensorBoard would take one run's arbitrarily for all, while without it the
columns are the union over the runs shown, so runs with different keys (another
dataset, an optimizer's own keys) still compare.
Written with the tensorboard package's own protos and writer: no torch, no paddle.
"""

import json
import time
from pathlib import Path

from tensorboard.compat.proto.event_pb2 import Event
from tensorboard.compat.proto.summary_pb2 import Summary
from tensorboard.plugins.hparams import metadata
from tensorboard.plugins.hparams.api_pb2 import (
    STATUS_FAILURE,
    STATUS_SUCCESS,
    STATUS_UNKNOWN,
)
from tensorboard.plugins.hparams.plugin_data_pb2 import (
    HParamsPluginData,
    SessionEndInfo,
    SessionStartInfo,
)
from tensorboard.summary.writer.event_file_writer import EventFileWriter

# The record's status as the tab's: an interrupted run may go on (resumed), a trial the
# search pruned was stopped on purpose (train() ends it as failed by TrialPruned):
# unknown. Any other (failed: ..., killed) is a failure.
STATUSES = {"finished": STATUS_SUCCESS, "interrupted": STATUS_UNKNOWN}
ON_PURPOSE = ("failed: TrialPruned", "pruned")


def flat_params(config: dict, prefix: str = "") -> dict:
    """The config's leaves under dotted keys (optimizer.lr): numbers, text and booleans
    as they are, lists as their JSON text; null values are left out (no value)."""
    params = {}
    for key, value in config.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            params.update(flat_params(value, f"{name}."))
        elif isinstance(value, list):
            params[name] = json.dumps(value)
        elif value is not None:
            params[name] = value
    return params


class HParamsSession:
    """Opened in <run>/tensorboard/ when the run starts, finished when it ends.

    config: the resolved config, or its flat_params (the Lightning loggers get those).
    """

    def __init__(self, board: Path, config: dict) -> None:
        self.events = EventFileWriter(str(board), filename_suffix=".hparams")
        start = SessionStartInfo(
            group_name=board.parent.name, start_time_secs=time.time()
        )
        for name, value in flat_params(config).items():
            if isinstance(value, bool):  # before int: True is an int too
                start.hparams[name].bool_value = value
            elif isinstance(value, (int, float)):
                start.hparams[name].number_value = value
            else:
                start.hparams[name].string_value = str(value)
        write_event(
            self.events,
            metadata.SESSION_START_INFO_TAG,
            HParamsPluginData(session_start_info=start),
        )

    def finish(self, status: str) -> None:
        """status: the record's (finished, interrupted, failed: ...)."""
        write_end(self.events, status)
        self.events.close()


def end_session(board: Path, status: str) -> None:
    """End the row of a run that could not end it itself (SIGKILL, a lost machine):
    the next run or tune.py worker that finds it dead (records/record.py) writes its
    end, in a file of its own, so the tab says failed, not the state it died in."""
    if not any(board.glob("*.hparams")):
        return  # no row began: no TensorBoard, or it died before its fit started
    events = EventFileWriter(str(board), filename_suffix=".hparams")
    write_end(events, status)
    events.close()


def write_end(events: EventFileWriter, status: str) -> None:
    pruned = status.startswith(ON_PURPOSE)
    code = STATUS_UNKNOWN if pruned else STATUSES.get(status, STATUS_FAILURE)
    end = SessionEndInfo(status=code, end_time_secs=time.time())
    write_event(
        events, metadata.SESSION_END_INFO_TAG, HParamsPluginData(session_end_info=end)
    )


def write_event(events: EventFileWriter, tag: str, data: HParamsPluginData) -> None:
    value = Summary.Value(
        tag=tag,
        metadata=metadata.create_summary_metadata(data),
        tensor=metadata.NULL_TENSOR,
    )
    events.add_event(Event(wall_time=time.time(), summary=Summary(value=[value])))
    events.flush()
