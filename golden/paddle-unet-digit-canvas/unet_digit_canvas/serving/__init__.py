"""serve.py's parts: an export served over HTTP with ONNX Runtime (no torch, no paddle)."""

TASK = "segmentation"  # the exports this project's server answers for
