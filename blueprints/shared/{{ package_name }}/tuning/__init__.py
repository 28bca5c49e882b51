"""tune.py's hyperparameter search with Optuna: the search config, its space, the study's
storage shared by workers, the loop of trials (each a run of train.py), the summary."""
