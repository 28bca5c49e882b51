"""Serve an exported model over HTTP with ONNX Runtime: POST images, get objects back.

Usage: python serve.py [export=runs/<run>/export] [serve.host=127.0.0.1] [serve.port=8000]
  python serve.py                          # the newest export under runs/
  curl -F file=@image.png http://127.0.0.1:8000/predict

Endpoints: POST /predict (multipart field `file`, repeatable), GET /health,
GET /metadata, GET /docs. Settings and limits: configs/serve.yaml (any key=value).
Ctrl-C or SIGTERM finishes the requests in flight, then exits 0.
"""

from maskrcnn_digit_canvas.errors import run_cli
from maskrcnn_digit_canvas.serving.settings import read_settings


def main(argv: list[str]) -> None:
    settings = read_settings(argv, __doc__)
    from maskrcnn_digit_canvas.serving.server import serve

    serve(settings)


if __name__ == "__main__":
    run_cli(main)
