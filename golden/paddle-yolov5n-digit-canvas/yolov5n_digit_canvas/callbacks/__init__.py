"""paddle.Model callbacks that do what Lightning's Trainer does for the twin: epoch metrics,
checkpoints and early stopping, TensorBoard/CSV logs, and one line per epoch."""
