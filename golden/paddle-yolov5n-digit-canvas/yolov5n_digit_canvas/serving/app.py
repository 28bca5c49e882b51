"""The HTTP API over an exported model: POST /predict, GET /health, GET /metadata, and
FastAPI's OpenAPI page at /docs.

/predict answers {"images": [one answer per `file` field, in their order]}; each
answer is serving/detection.py's, with the file's name. Images of concurrent requests
run together (serving/batching.py).
"""

from contextlib import asynccontextmanager

import numpy as np
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from .batching import MicroBatcher
from .detection import answer
from .uploads import read_uploads

UPLOAD = {  # what /docs shows of the request: FastAPI cannot see it in the signature,
    # since uploads.py reads the form itself, with its limits
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {
                    "file": {
                        "type": "array",
                        "items": {"type": "string", "format": "binary"},
                    }
                },
                "required": ["file"],
            }
        }
    },
}


def create_app(model, limits) -> FastAPI:
    """`model`: exporting/onnx_runner.py's OnnxModel; `limits`: the serve settings."""
    manifest, preprocess = model.manifest, model.manifest["preprocess"]
    batcher = MicroBatcher(model, limits.max_batch, limits.max_wait_ms)

    @asynccontextmanager
    async def lifespan(_: FastAPI):
        batcher.start()
        yield  # the server has answered every request it took when this resumes
        await batcher.stop()

    app = FastAPI(
        title=f"{manifest['task']} model",
        description="Images in, boxes out: POST them to /predict.",
        lifespan=lifespan,
    )

    @app.post("/predict", openapi_extra={"requestBody": UPLOAD})
    async def predict(request: Request) -> JSONResponse:
        with batcher.coming():
            names, images, sizes = await read_uploads(request, limits, preprocess)
        outputs = await batcher.predict(images)
        # in a thread: a mask resized to a large image and encoded takes seconds,
        # which on the event loop would stall every other request and /health
        answers = await run_in_threadpool(answer_all, names, outputs, sizes, manifest)
        return JSONResponse({"images": answers})

    @app.get("/health")
    async def health() -> dict:
        """Ready to answer; the sizes of the latest batches run (micro-batching)."""
        return {"status": "ok", "task": manifest["task"], "batches": batcher.batches}

    @app.get("/metadata")
    async def metadata() -> dict:
        """The export's manifest, less its paths: what the model takes and gives."""
        source = {k: v for k, v in manifest["source"].items() if k != "checkpoint"}
        return {**{k: v for k, v in manifest.items() if k != "files"}, "source": source}

    return app


def answer_all(names: list, outputs: list, sizes: list, manifest: dict) -> list:
    for name, image in zip(names, outputs, strict=True):
        floats = [o for o in map(np.asarray, image) if o.dtype.kind == "f"]
        if not all(np.isfinite(o).all() for o in floats):
            # the model's fault, not the image's; its answer at start was finite
            raise HTTPException(
                500, f"{name}: the model answered nan or inf for this image"
            )
    return [
        {"file": name, **answer(out, image_size, manifest)}
        for name, out, image_size in zip(names, outputs, sizes, strict=True)
    ]
