"""`runs.py compare A B ...`: the runs' final metrics side by side, and one plot of a
metric over the epochs of each."""

from pathlib import Path

from ..errors import UserError
from ..records.run_dir import write_bytes
from .curves import per_epoch, read_curves
from .listing import table
from .run_dirs import Run


def compare_table(runs: list[Run]) -> str:
    """A row per final metric, a column per run (named A, B, ... under the table)."""
    names = [chr(ord("A") + i) if i < 26 else str(i) for i in range(len(runs))]
    keys = sorted({key for run in runs for key in run.metrics})
    rows = [(key, *(fmt(run.metrics.get(key)) for run in runs)) for key in keys]
    legend = [f"{name}: {run.id}" for name, run in zip(names, runs, strict=True)]
    return table(("metric", *names), rows) + "\n" + "\n".join(legend)


def fmt(value) -> str:
    return "-" if value is None else f"{value:.4f}"


def plot_metric(runs: list[Run], metric: str, out: Path) -> Path:
    """One PNG of `metric` over epochs, a line per run."""
    curves = {run.id: per_epoch(read_curves(run.path).get(metric, [])) for run in runs}
    if not any(curves.values()):
        known = sorted({name for run in runs for name in read_curves(run.path)})
        raise UserError(
            f"--metric {metric}: none of these runs logged it per epoch; logged:"
            f" {', '.join(known) or 'nothing (loggers without csv?)'}"
        )
    import matplotlib  # only here: list and show answer without it

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    figure, axes = plt.subplots(figsize=(7, 4), dpi=100)
    for run_id, values in curves.items():
        epochs = sorted(values)
        axes.plot(
            [e + 1 for e in epochs], [values[e] for e in epochs], "o-", label=run_id
        )
    axes.set(xlabel="epoch", ylabel=metric, title=f"{metric} per epoch")
    axes.xaxis.get_major_locator().set_params(integer=True)
    axes.grid(alpha=0.3)
    axes.legend(fontsize=7)
    figure.tight_layout()
    write_bytes(out, figure_png(figure))
    plt.close(figure)
    return out


def figure_png(figure) -> bytes:
    import io

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
