"""Search hyperparameters with Optuna: each trial is a run of train.py with values drawn
from the search's space, in its own run directory; the search keeps the best.

Usage: python tune.py [hpo=NAME] [hpo.key=value ...] [group=option ...] [key=value ...]
  python tune.py                                 # configs/hpo/quick.yaml
  python tune.py hpo=quick hpo.n_trials=20 trainer.max_epochs=5
  python tune.py hpo.storage=/shared/hpo.journal # one study, as many workers as you start
  python tune.py hpo.storage=sqlite:///hpo.db    # ... or in a database
  python tune.py --summary                       # rewrite the summary and plots only

The same command resumes a stopped search. Results: <output_dir>/hpo-<study>/, with
summary.md, summary.json, plots/ and a run directory per trial (docs: README, "Tune").
"""

from resnet18_digits.errors import run_cli
from resnet18_digits.tuning.settings import read_search


def main(argv: list[str]) -> None:
    search = read_search(argv, __doc__)
    # optuna and the framework load only now: a mistake in the search is said in a second.
    from resnet18_digits.tuning.search import run_search

    run_search(search)


if __name__ == "__main__":
    run_cli(main)
