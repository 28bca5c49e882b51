"""The report's charts of how the run went: losses, metrics and the learning rate, from
the run's metrics.csv."""

import io

import matplotlib

matplotlib.use("Agg")  # files only: no window, no display needed
from matplotlib import pyplot as plt  # after choosing the backend

from ..runs.curves import per_epoch


def png(figure) -> bytes:
    """The figure as PNG bytes; the figure is closed."""
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return buffer.getvalue()


def chart(title: str, xlabel: str, size=(5, 3)):
    # matplotlib's own look whatever ran before in this process (optuna's plots, in
    # tune.py, switch the whole process to ggplot): the same run, the same picture
    plt.style.use("default")
    figure, axes = plt.subplots(figsize=size, dpi=90)
    axes.set(title=title, xlabel=xlabel)
    axes.grid(alpha=0.3)
    return figure, axes


def epoch_chart(curves: dict, names: list[str], title: str) -> bytes | None:
    """`names` over epochs (their last value in each), or None where none was logged."""
    shown = {name: per_epoch(curves[name]) for name in names if curves.get(name)}
    if not shown:
        return None
    figure, axes = chart(title, "epoch")
    for name, values in shown.items():
        epochs = sorted(values)
        axes.plot(
            [e + 1 for e in epochs], [values[e] for e in epochs], "o-", label=name
        )
    axes.xaxis.get_major_locator().set_params(integer=True)  # whole epochs
    axes.legend(fontsize=8)
    return png(figure)


def run_charts(curves: dict) -> dict[str, bytes]:
    """{file name: PNG} of the losses, the validation metrics and the learning rate."""
    charts = {}
    losses = [n for n in curves if n.endswith("/loss") and not n.startswith("test/")]
    scores = [
        n
        for n in curves
        if n.startswith("val/") and n.count("/") == 1 and n not in losses
    ]
    for name, picked, title in (
        ("losses.png", sorted(losses), "loss per epoch"),
        ("metrics.png", sorted(scores), "validation metrics per epoch"),
    ):
        if (chart_png := epoch_chart(curves, picked, title)) is not None:
            charts[name] = chart_png
    if rates := curves.get("train/lr"):
        figure, axes = chart("learning rate", "step")
        axes.plot([step for _, step, _ in rates], [lr for _, _, lr in rates])
        charts["learning_rate.png"] = png(figure)
    return charts
