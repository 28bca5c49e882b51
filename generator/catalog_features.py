"""The catalog's optional features (`--with NAME`)."""

from .schemas.catalog import BACKENDS, TASKS, FeatureEntry

# Optional features (`--with NAME`): files and packages a project gets only when asked.
# Their versions live once, in blueprints/<backend>/requirements.txt.jinja.
FEATURES: list[FeatureEntry] = [
    FeatureEntry(
        name="export",
        tasks=TASKS,
        backends=BACKENDS,
        requires=("onnx", "onnxruntime", "onnxscript | paddle2onnx"),
        description="export.py: ONNX or TorchScript (Paddle: its inference model), "
        "verified against the checkpoint on test images",
    ),
    FeatureEntry(
        name="serve",
        tasks=TASKS,
        backends=BACKENDS,
        requires=("fastapi", "uvicorn", "python-multipart", "onnxruntime"),
        needs=("export",),
        description="serve.py: an HTTP endpoint (FastAPI, ONNX Runtime) over an ONNX "
        "export, and a slim serving image",
    ),
    FeatureEntry(
        name="ci",
        tasks=TASKS,
        backends=BACKENDS,
        description=".github/workflows/ci.yml: install, tests, a debug training"
        " (and export with verification when exported)",
    ),
    FeatureEntry(
        name="hpo",
        tasks=TASKS,
        backends=BACKENDS,
        requires=("optuna",),
        description="tune.py: hyperparameter search (Optuna) over any config key, "
        "resumable, parallel on one shared study, with a summary and plots",
    ),
    FeatureEntry(
        name="wandb",
        tasks=TASKS,
        backends=BACKENDS,
        requires=("wandb",),
        description="loggers=[..., wandb]: Weights & Biases tracking (offline works "
        "with no network)",
    ),
    FeatureEntry(
        name="mlflow",
        tasks=TASKS,
        backends=BACKENDS,
        requires=("mlflow-skinny",),
        description="loggers=[..., mlflow]: MLflow tracking (sqlite:///mlflow.db "
        "by default)",
    ),
]
