"""serve.py's parts: an export served over HTTP with ONNX Runtime (no torch, no paddle)."""

TASK = "instance_segmentation"  # the exports this project's server answers for
