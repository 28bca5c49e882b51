"""`runs.py list` and `runs.py show`: one line per run, and one run in full."""

from datetime import datetime

from .curves import best_value
from .run_dirs import Run

COLUMNS = ("run", "date", "experiment", "overrides", "best", "status", "time")
STEPS = ("trial", "stage")  # what a search or a recipe records of its runs


def overrides(run: Run, shared: frozenset = frozenset()) -> str:
    """What set this run apart: the command line's key=value arguments (less those in
    `shared`), a trial's parameters, a recipe's stage."""
    words = run.record.get("command", "").split()[1:]  # without the script's name
    words = [word for word in words if word not in shared]
    trial = run.record.get("trial") or {}
    words += [f"{key}={value}" for key, value in (trial.get("params") or {}).items()]
    stage = run.record.get("stage") or {}
    if stage:
        words.append(f"[stage {stage.get('index', 0) + 1}/{stage.get('of', '?')}]")
    return " ".join(words) or "-"


def monitored(run: Run) -> tuple[str, str]:
    """The metric that chose the run's best checkpoint, and whether higher is better."""
    checkpoint = run.config.get("checkpoint") or {}
    return checkpoint.get("monitor", "val/loss"), checkpoint.get("mode", "min")


def best_text(run: Run) -> str:
    metric, mode = monitored(run)
    value = best_value(run, metric, mode)
    return "-" if value is None else f"{metric}={value:.4g}"


def duration(run: Run) -> str:
    """How long the run took (h:mm:ss), or '-' while it has no end."""
    try:
        start = datetime.fromisoformat(run.record["started"])
        finished = datetime.fromisoformat(run.record["finished"])
    except (KeyError, TypeError, ValueError):
        return "-"
    seconds = int((finished - start).total_seconds())
    if seconds < 0:  # a clock set back while it ran
        return "-"
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def rows(runs: list[Run]) -> list[tuple[str, ...]]:
    """A row per run; the arguments every run was given are left out of each (and said
    once under the table by `shared_arguments`)."""
    shared = shared_arguments(runs)
    return [row(run, shared) for run in runs]


def shared_arguments(runs: list[Run]) -> frozenset:
    """The command-line arguments all of several runs were given."""
    if len(runs) < 2:
        return frozenset()
    given = [set(run.record.get("command", "").split()[1:]) for run in runs]
    return frozenset(set.intersection(*given))


def row(run: Run, shared: frozenset = frozenset()) -> tuple[str, ...]:
    return (
        run.id,
        run.started.replace("T", " ") or "-",
        str(run.config.get("experiment") or "-"),
        overrides(run, shared),
        best_text(run),
        run.record.get("status", "running?"),
        duration(run),
    )


def table(header: tuple[str, ...], rows: list[tuple[str, ...]], widest=48) -> str:
    """Columns padded to their widest cell (cells cut at `widest` characters)."""
    cells = [
        header,
        *([c if len(c) <= widest else c[: widest - 1] + "…" for c in r] for r in rows),
    ]
    widths = [max(len(line[i]) for line in cells) for i in range(len(header))]
    return "\n".join(
        "  ".join(
            cell.ljust(width) for cell, width in zip(line, widths, strict=True)
        ).rstrip()
        for line in cells
    )


def show(run: Run) -> str:
    """A run's highlights, record, final metrics and files, as text."""
    record, config = run.record, run.config
    model, data = config.get("model") or {}, config.get("data") or {}
    trainer, optimizer = config.get("trainer") or {}, config.get("optimizer") or {}
    parameters = (record.get("model") or {}).get("parameters", "?")
    lines = [
        f"run:        {run.path}",
        f"status:     {record.get('status', 'running?')}  ({duration(run)})",
        f"command:    {record.get('command', '-')}",
        f"experiment: {config.get('experiment') or '-'}",
        f"model:      {model.get('name')} ({parameters} parameters)",
        f"data:       {data.get('name')} (batch {data.get('batch_size')})",
        f"optimizer:  {optimizer.get('name')} lr={optimizer.get('lr')}",
        f"trainer:    max_epochs={trainer.get('max_epochs')}"
        f" precision={trainer.get('precision')}",
        f"seed:       {config.get('seed')}",
        *(
            f"{key}:{' ' * (11 - len(key))}{record[key]}"
            for key in STEPS
            if record.get(key)
        ),
        f"best:       {best_text(run)}  ({record.get('best_checkpoint') or '-'})",
        "metrics:",
        *(f"  {key:<24} {value:.4f}" for key, value in sorted(run.metrics.items())),
        "files:",
        *(
            f"  {path.relative_to(run.path).as_posix()}"
            for path in sorted(run.path.rglob("*"))
            if path.is_file()
        ),
    ]
    return "\n".join(lines)
