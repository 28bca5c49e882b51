"""Where a run is tracked besides its directory: TensorBoard's HParams tab, and the
trackers chosen when the project was generated (loggers=[..., wandb, mlflow])."""
