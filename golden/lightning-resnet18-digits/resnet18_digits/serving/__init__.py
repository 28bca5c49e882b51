"""serve.py's parts: an export served over HTTP with ONNX Runtime (no torch, no paddle)."""
