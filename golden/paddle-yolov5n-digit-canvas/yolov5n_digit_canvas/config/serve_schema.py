"""The typed schema of configs/serve.yaml, serve.py's own file (types only: its defaults
live there). serve.py reads no training config, so these stand apart from schema.py."""

from dataclasses import dataclass, field

from omegaconf import MISSING


@dataclass
class ServeConfig:
    """Where the server listens, what it accepts, how it batches concurrent requests
    (serving/batching.py)."""

    host: str = MISSING
    port: int = MISSING
    max_batch: int = MISSING  # images in one ONNX Runtime run
    max_wait_ms: float = MISSING  # how long a batch waits for requests on their way
    threads: int = MISSING  # ONNX Runtime's intra-op threads (0: its default)
    max_files: int = MISSING  # images in one request
    max_request_mb: float = MISSING  # a request's body
    max_pixels: int = MISSING  # an image's width x height, read from its header


@dataclass
class ServeFile:
    export: str | None = MISSING  # an export folder; null: the newest ONNX one in runs/
    serve: ServeConfig = field(default_factory=ServeConfig)
