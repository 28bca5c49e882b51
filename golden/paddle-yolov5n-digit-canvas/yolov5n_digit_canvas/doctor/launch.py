"""Would train.py start this run as configured? The twin's own launch check (a strategy
it has, nodes a launcher started, devices this machine has) and its batch plan
(scaling.effective_batch_size among the processes), called as train.py calls them
(scaling/run.py, scaling/batch_plan.py): where a run would stop, the same line."""

import copy
import io
from contextlib import redirect_stdout

from ..errors import UserError
from .findings import Finding

FIX = "change what the line names: train.py refuses this run in the same words"


def check(cfg) -> Finding:
    if cfg is None:
        return Finding("launch", "warn", "not checked: the config could not be read")
    from ..scaling.batch_plan import cpu_batch, plan_batches
    from ..scaling.launchers import check_launch_variables, launcher
    from ..scaling.run import check_launch, planned_processes

    cfg = copy.deepcopy(cfg)  # the plan settles the batch and the rate in place
    try:
        check_launch_variables()  # a stray LOCAL_RANK=1: train.py's first refusal
        started = launcher()["launcher"]
        by = "" if started == "local" else f"started by {started}; "
        check_launch(cfg.trainer)
        processes, gpu = planned_processes(cfg.trainer)
        if cfg.data.batch_size == "auto" and gpu:  # a search with real steps: the run's
            said = "data.batch_size=auto: the run finds the largest batch the GPU holds"
            return Finding("launch", "ok", f"{by}{said}, x {processes} process(es)")
        found = cpu_batch() if cfg.data.batch_size == "auto" else None
        with redirect_stdout(io.StringIO()) as printed:
            plan = plan_batches(cfg, processes, found)
    except UserError as error:
        return Finding("launch", "fail", str(error), FIX)
    said = printed.getvalue().strip() or f"{plan['effective_batch_size']} images a step"
    return Finding("launch", "ok", by + said)
