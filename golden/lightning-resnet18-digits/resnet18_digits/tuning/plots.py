"""The search's plots, drawn by optuna.visualization.matplotlib into PNGs: the metric
trial by trial with the best so far (history), how much each key mattered
(importances, by PED-ANOVA: no model to fit), and every trial's values side by side
(parallel). A plot needs completed trials to draw from: it waits until there are."""

import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only: no window, no display needed

import matplotlib.pyplot as plt
from optuna.importance import PedAnovaImportanceEvaluator
from optuna.trial import TrialState
from optuna.visualization import matplotlib as views

PLOTS = {  # name: (how it is drawn, completed trials it needs)
    "history": (views.plot_optimization_history, 1),
    "importances": (
        lambda study: views.plot_param_importances(
            study, evaluator=PedAnovaImportanceEvaluator()
        ),
        2,
    ),
    "parallel": (views.plot_parallel_coordinate, 1),
}


def draw_plots(study, folder: Path) -> list[str]:
    """Draw the plots there are trials for; return their names."""
    complete = len(study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,)))
    folder.mkdir(parents=True, exist_ok=True)
    drawn = []
    for name, (plot, needs) in PLOTS.items():
        if complete < needs:
            continue
        with warnings.catch_warnings():  # optuna's matplotlib views are "experimental"
            warnings.simplefilter("ignore")
            axes = plot(study)
        figure = getattr(axes, "figure", None) or axes.flat[0].figure
        figure.set_size_inches(9, 5)
        part = folder / f"{name}.png.part"
        figure.savefig(part, format="png", dpi=100, bbox_inches="tight")
        part.replace(folder / f"{name}.png")  # whole or not at all
        plt.close(figure)
        drawn.append(name)
    return drawn
