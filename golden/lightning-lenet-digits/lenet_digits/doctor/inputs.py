"""What the command points the run at besides its data: the checkpoint it resumes
(ckpt_path), a weights file it starts from (model.pretrained), and the terminal the
debugger reads (debug=ipdb, debug.break_at). Where train.py would stop on one, the
same words."""

from ..config.named_files import check_named_files
from ..errors import UserError
from .findings import Finding

FIX = "change what the line names: train.py refuses this run in the same words"


def check(cfg) -> Finding:
    if cfg is None:
        return Finding("inputs", "warn", "not checked: the config could not be read")
    from ..debugging.session import check_terminal

    weights = cfg.model.get("pretrained")
    try:
        check_named_files(cfg)
        if cfg.ckpt_path:  # whole, this twin's, written by its train.py: as train.py
            from ..checkpoint import read_checkpoint

            read_checkpoint(cfg.ckpt_path)
        check_terminal(cfg.debug)
    except UserError as error:
        return Finding("inputs", "fail", str(error), FIX)
    named = [f"ckpt_path={cfg.ckpt_path}"] if cfg.ckpt_path else []
    named += [f"model.pretrained={weights}"] if isinstance(weights, str) else []
    return Finding(
        "inputs", "ok", ", ".join(named) + " found" if named else "none named"
    )
