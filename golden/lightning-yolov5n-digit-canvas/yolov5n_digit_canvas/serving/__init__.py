"""serve.py's parts: an export served over HTTP with ONNX Runtime (no torch, no paddle)."""

TASK = "detection"  # the exports this project's server answers for
