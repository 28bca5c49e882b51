"""serve.py (`--with serve`): a real uvicorn on 127.0.0.1, with torch and paddle blocked
as in the serving image, answering real HTTP requests for each task's export (tiny
colour readers: tests/serving.py); bad uploads answered 4xx with a reason; a bounded
concurrent load answered without an error, in micro-batches; a graceful stop; and bad
serve.py input refused in one line."""

import io
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import numpy as np
import pytest
from onefit.answers import answers_for
from onefit.render import render
from onefit.spec_input import load_spec
from PIL import Image

from tests.conftest import run
from tests.goldens import GOLDEN_SOURCE
from tests.messages import SERVE, assert_one_documented_line
from tests.serving import WITHOUT_FRAMEWORKS, free_port, serving, spoil, write_export

TASKS = {  # a project of each task with the serve feature
    "classification": {"model": "resnet18", "data": "digits"},
    "segmentation": {"model": "unet", "data": "digit_canvas"},
    "detection": {"model": "yolov5n", "data": "digit_canvas"},
    "instance_segmentation": {"model": "maskrcnn_resnet50_fpn", "data": "digit_canvas"},
}
EXPORT = "export=runs/fixture/export"
RED, GREEN, BLUE = (255, 0, 0), (0, 255, 0), (0, 0, 255)


def noise() -> bytes:
    """A PNG of random pixels: its compressed data is long enough to cut."""
    buffer = io.BytesIO()
    pixels = np.random.default_rng(0).integers(0, 256, (32, 32, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def png(colour=RED, size=(16, 16), mode="RGB", fmt="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, colour).save(buffer, format=fmt)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def projects(tmp_path_factory, rendered):
    """project(task, backend="lightning"): a project of `task` with `--with serve`
    (rendered once) and a colour reader's export in it, runs/fixture/export."""
    made = {}

    def project(task: str, backend: str = "lightning") -> Path:
        if (task, backend) not in made:
            folder = tmp_path_factory.mktemp("serve") / f"{backend}-{task}"
            if task == "classification":
                folder = rendered(f"{backend}-resnet18-digits")  # read only: copied
                folder = Path(
                    __import__("shutil").copytree(
                        folder, tmp_path_factory.mktemp("serve") / folder.name
                    )
                )
            else:
                spec = folder.parent / "spec.yaml"
                spec.write_text(
                    "\n".join(f"{k}: {v}" for k, v in TASKS[task].items())
                    + f"\nname: {task}-served\nbackend: {backend}\ntask: {task}\n"
                    "features: [export, serve]\n"
                )
                render(answers_for(load_spec(spec, {})), folder, GOLDEN_SOURCE, False)
            write_export(folder / "runs" / "fixture" / "export", task)
            made[task, backend] = folder
        return made[task, backend]

    return project


@pytest.fixture(scope="module")
def classifier(projects):
    """The classification project's server, batching generously (max_wait_ms=50),
    with small caps to meet: 1 MB a request, 4 images, 100,000 pixels."""
    project = projects("classification")
    limits = [
        "serve.max_wait_ms=50",
        "serve.max_request_mb=1",
        "serve.max_files=4",
        "serve.max_pixels=100000",
    ]
    with serving(project, EXPORT, *limits) as (url, _process):
        yield url


def predict(url: str, *images: bytes, field: str = "file", **options) -> httpx.Response:
    files = [
        (field, (f"image{i}.png", data, "image/png")) for i, data in enumerate(images)
    ]
    return httpx.post(f"{url}/predict", files=files, timeout=30, **options)


def test_classification_answers_a_label_and_scores_per_image(classifier):
    answer = predict(classifier, png(GREEN), png(BLUE, (40, 30)), png(200, mode="L"))
    assert answer.status_code == 200, answer.text
    first, second, gray = answer.json()["images"]
    assert first["file"] == "image0.png" and first["label"] == "green"
    assert set(first["scores"]) == {"red", "green", "blue"}
    assert abs(sum(first["scores"].values()) - 1) < 1e-5
    assert (
        first["scores"]["green"] > 0.99 and first["score"] == first["scores"]["green"]
    )
    assert second["label"] == "blue"
    # a gray image is read as RGB, as training read it: every channel alike
    assert max(gray["scores"].values()) - min(gray["scores"].values()) < 1e-5


def test_health_metadata_and_the_openapi_page(classifier):
    health = httpx.get(f"{classifier}/health").json()
    assert health["status"] == "ok" and health["task"] == "classification"
    metadata = httpx.get(f"{classifier}/metadata").json()
    assert metadata["class_names"] == ["red", "green", "blue"]
    assert metadata["preprocess"]["mean"] == [0.5] * 3
    assert "files" not in metadata and "checkpoint" not in metadata["source"]
    assert metadata["source"]["sha256"] == "0" * 64
    page = httpx.get(f"{classifier}/openapi.json").json()
    body = page["paths"]["/predict"]["post"]["requestBody"]["content"]
    assert "file" in body["multipart/form-data"]["schema"]["properties"]
    assert httpx.get(f"{classifier}/docs").status_code == 200


def test_segmentation_answers_a_mask_at_the_image_s_own_size(projects):
    half_red = Image.new("RGB", (40, 20), (0, 0, 0))
    half_red.paste(RED, (0, 0, 20, 20))
    buffer = io.BytesIO()
    half_red.save(buffer, format="PNG")
    with serving(projects("segmentation"), EXPORT) as (url, _):
        answer = predict(url, buffer.getvalue(), png(BLUE, (7, 9)))
    assert answer.status_code == 200, answer.text
    halves, blue = answer.json()["images"]
    assert halves["label"] == "red" and halves["mask"]["encoding"] == "png/base64"
    assert (halves["mask"]["width"], halves["mask"]["height"]) == (40, 20)
    mask = np.asarray(
        Image.open(io.BytesIO(__import__("base64").b64decode(halves["mask"]["data"])))
    )
    assert mask.shape == (20, 40) and set(np.unique(mask)) == {0, 1}
    assert (mask[:, :18] == 1).all() and (mask[:, 22:] == 0).all()
    assert abs(halves["scores"]["red"] - 0.5) < 0.05
    assert abs(sum(halves["scores"].values()) - 1) < 1e-5
    assert blue["label"] == "blue" and blue["scores"] == {"blue": 1.0}


def test_detection_answers_objects_in_the_image_s_own_pixels(projects):
    with serving(projects("detection"), EXPORT) as (url, _):
        answer = predict(url, png(GREEN, (32, 64)))
    assert answer.status_code == 200, answer.text
    (image,) = answer.json()["images"]
    assert image["label"] == "green" and set(image["scores"]) == {"green"}
    boxes = sorted(found["box"] for found in image["objects"])
    # the model's boxes [2, 2, 8, 8] and [8, 8, 14, 14] on 16 x 16, scaled to 32 x 64
    assert boxes == [[4.0, 8.0, 16.0, 32.0], [16.0, 32.0, 28.0, 56.0]]
    assert all(found["label"] == "green" for found in image["objects"])


def test_instance_segmentation_answers_objects_and_where_each_lies(projects):
    """An export taking one image at a time (torchvision's detectors): two images in
    one request, each its own objects and its instance map at its own size."""
    with serving(projects("instance_segmentation"), EXPORT) as (url, _):
        answer = predict(url, png(RED, (32, 32)), png(BLUE, (16, 48)))
    assert answer.status_code == 200, answer.text
    red, blue = answer.json()["images"]
    assert [found["label"] for found in red["objects"]] == ["red", "red"]
    assert [found["label"] for found in blue["objects"]] == ["blue", "blue"]
    best, half = (found["score"] for found in red["objects"])
    assert best > 0.99 and half == pytest.approx(best / 2, abs=1e-6)
    # the model's boxes [2, 2, 8, 8] and [8, 8, 14, 14] on 16 x 16, scaled to 32 x 32
    assert [found["box"] for found in red["objects"]] == [
        [4.0, 4.0, 16.0, 16.0],
        [16.0, 16.0, 28.0, 28.0],
    ]
    assert red["label"] == "red" and red["scores"] == {"red": best}
    mask = np.asarray(
        Image.open(io.BytesIO(__import__("base64").b64decode(blue["mask"]["data"])))
    )
    assert (blue["mask"]["width"], blue["mask"]["height"]) == (16, 48)
    assert mask.shape == (48, 16) and set(np.unique(mask)) == {0, 1, 2}
    assert mask[3 * 3, 3] == 1 and mask[3 * 10, 10] == 2 and mask[0, 0] == 0


@pytest.mark.parametrize(
    "send, status, reason",
    [
        (
            lambda url: predict(url, b"not an image at all"),
            400,
            "cannot read this image",
        ),
        (lambda url: predict(url, noise()[:300]), 400, "cannot read this image"),
        (lambda url: predict(url, b""), 400, "the file is empty"),
        (
            lambda url: predict(url, png(size=(500, 300))),
            413,
            "serve.max_pixels=100,000",
        ),
        (lambda url: predict(url, *[png()] * 5), 413, "serve.max_files=4"),
        (lambda url: predict(url, png(), field="image"), 400, "no field named file"),
        (
            lambda url: httpx.post(
                f"{url}/predict",
                files=[("file", ("a.png", png()))] * 4 + [("image", ("b.png", png()))],
            ),
            400,
            "a file is sent as the field 'image'",
        ),
        (
            lambda url: httpx.post(f"{url}/predict", data={"file": "x"}),
            400,
            "holds text",
        ),
        (lambda url: httpx.post(f"{url}/predict", json={"file": 1}), 400, "no field"),
        (
            lambda url: predict(url, np.random.bytes(1_100_000)),
            413,
            "serve.max_request_mb=1",
        ),
        (
            lambda url: httpx.post(
                f"{url}/predict",
                content=iter([b"--x\r\n"]),
                headers={"content-type": "multipart/form-data; boundary=x"},
            ),
            411,
            "Content-Length",
        ),
    ],
    ids=[
        "non-image",
        "truncated",
        "empty",
        "huge",
        "too-many",
        "missing-field",
        "other-file-field",
        "text-field",
        "json",
        "request-too-big",
        "no-length",
    ],
)
def test_bad_uploads_are_answered_4xx_with_the_reason(classifier, send, status, reason):
    answer = send(classifier)
    assert answer.status_code == status, answer.text
    assert reason in answer.json()["detail"]


def test_a_bounded_concurrent_load_is_answered_in_micro_batches(classifier):
    """32 clients, 4 requests each, each request asking for one colour: every answer
    right, none an error; runs of more than one image happened."""
    colours = {"red": RED, "green": GREEN, "blue": BLUE}

    def client(number: int) -> list[bool]:
        with httpx.Client(timeout=30) as session:
            right = []
            for turn in range(4):
                name = list(colours)[(number + turn) % 3]
                files = [("file", ("x.png", png(colours[name]), "image/png"))]
                answer = session.post(f"{classifier}/predict", files=files)
                right.append(
                    answer.status_code == 200
                    and answer.json()["images"][0]["label"] == name
                )
            return right

    with ThreadPoolExecutor(32) as pool:
        results = [ok for answers in pool.map(client, range(32)) for ok in answers]
    assert len(results) == 128 and all(results)
    batches = httpx.get(f"{classifier}/health").json()["batches"]
    assert max(batches) > 1, batches


def test_sigterm_finishes_the_request_in_flight_and_exits_0(projects):
    boundary = "onefit"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"'
        "\r\nContent-Type: image/png\r\n\r\n"
    ).encode()
    body = head + png(BLUE) + f"\r\n--{boundary}--\r\n".encode()
    with serving(projects("classification"), EXPORT) as (url, process):

        def slowly():  # the body in two halves: SIGTERM arrives between them
            yield body[: len(body) // 2]
            time.sleep(0.5)  # the server has begun this request: not an idle connection
            process.send_signal(signal.SIGTERM)
            time.sleep(1)
            yield body[len(body) // 2 :]

        answer = httpx.post(
            f"{url}/predict",
            content=slowly(),
            headers={
                "content-type": f"multipart/form-data; boundary={boundary}",
                "content-length": str(len(body)),
            },
            timeout=30,
        )
        assert answer.status_code == 200, process.log.read_text()
        assert answer.json()["images"][0]["label"] == "blue"
        assert process.wait(30) == 0, process.log.read_text()
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"{url}/health")


def serve_refuses(project: Path, *args: str) -> str:
    result = run(["-c", WITHOUT_FRAMEWORKS, *args], project, timeout=60)
    assert result.returncode == 2, result.stdout + result.stderr
    return assert_one_documented_line(result.stderr, SERVE)


@pytest.mark.parametrize(
    "args, said",
    [
        (["export=runs/nowhere"], "no such folder"),
        (["export=configs"], "is not an export (no manifest.json)"),
        (["export=runs/broken"], "manifest.json is not JSON"),
        (["export=runs/no-model"], "names model.onnx, which runs/no-model lacks"),
        (["export=runs/torchscript"], "export.format=onnx"),
        (["export=runs/segmenter"], "this project serves classification"),
        (["serve.port=70000"], "serve.port=70000 is not allowed"),
        (["serve.port=eighty"], "bad value for 'serve.port'"),
        (["serve.prot=8000"], "Did you mean serve.port"),
        (["max_batch=4"], "unknown key 'max_batch'"),
        (["serve.port"], "expected key=value"),
        ([EXPORT, "serve.host=192.0.2.1"], "serve.host=192.0.2.1: cannot listen there"),
        (["export="], "export is empty (an unset shell variable?)"),
        (["export=runs/instances"], "holds an instance_segmentation model"),
    ],
    ids=[
        "missing",
        "not-an-export",
        "broken-manifest",
        "no-model",
        "torchscript",
        "other-task",
        "port-out-of-range",
        "port-not-a-number",
        "unknown-key",
        "unknown-top-key",
        "no-value",
        "host-not-here",
        "empty-export",
        "another-task-an",
    ],
)
def test_bad_serve_input_is_refused_in_one_line(projects, args, said):
    project = projects("classification")
    if not (project / "runs" / "broken").exists():
        (project / "runs" / "broken").mkdir()
        (project / "runs" / "broken" / "manifest.json").write_text("{not json")
        write_export(
            project / "runs" / "torchscript",
            "classification",
            format="torchscript",
            files=["model.pt"],
        )
        (project / "runs" / "torchscript" / "model.pt").write_bytes(b"TorchScript")
        write_export(project / "runs" / "no-model", "classification")
        (project / "runs" / "no-model" / "model.onnx").unlink()
        write_export(project / "runs" / "segmenter", "segmentation")
        write_export(project / "runs" / "instances", "instance_segmentation")
    assert said in serve_refuses(project, *args)


def test_help_says_how_and_starts_nothing(projects):
    result = run(["-c", WITHOUT_FRAMEWORKS, "--help"], projects("classification"))
    assert result.returncode == 0 and "Usage: python serve.py" in result.stdout
    assert "POST /predict" in result.stdout and not result.stderr


def test_a_port_in_use_is_refused_in_one_line(projects):
    project = projects("classification")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        message = serve_refuses(project, EXPORT, f"serve.port={port}")
    assert f"127.0.0.1:{port} is in use" in message


def test_the_newest_whole_export_is_served_by_default(projects):
    """A folder export.py is still building (export.part, its manifest written before
    the check) is passed over, however new."""
    project = projects("detection")
    write_export(project / "runs" / "later" / "export.part", "segmentation")
    with serving(project) as (url, _):
        assert httpx.get(f"{url}/health").json()["task"] == "detection"


def test_no_export_at_all_is_refused_in_one_line(tmp_path, rendered):
    project = Path(
        __import__("shutil").copytree(
            rendered("paddle-resnet18-digits"), tmp_path / "p"
        )
    )
    message = serve_refuses(project)
    assert "no export under runs/" in message
    assert "ckpt_path=runs/<run>/checkpoints/best.pdparams" in message  # Paddle's
    # only exports it cannot serve: the newest's refusal says why
    traced = project / "runs" / "traced" / "export"
    write_export(traced, "classification", format="torchscript", files=["model.pt"])
    (traced / "model.pt").write_bytes(b"TorchScript")
    assert "holds a torchscript export" in serve_refuses(project)


def test_the_paddle_twin_serves_the_same_answers(projects):
    project = projects("classification", "paddle")
    with serving(project, EXPORT) as (url, _):
        answer = predict(url, png(RED), png(GREEN))
    assert [i["label"] for i in answer.json()["images"]] == ["red", "green"]
    # its fixes name its own checkpoints
    (project / "runs" / "broken").mkdir()
    (project / "runs" / "broken" / "manifest.json").write_text("{not json")
    message = serve_refuses(project, "export=runs/broken")
    assert message.endswith("checkpoints/best.pdparams")
    config = (project / "configs" / "config.yaml").read_text()
    assert "best.ckpt" not in config and "checkpoints/best.pdparams" in config


@pytest.mark.parametrize("backend", ["lightning", "paddle"])
def test_the_readme_names_every_serving_file(rendered, backend):
    project = rendered(f"{backend}-resnet18-digits")
    readme = (project / "README.md").read_text()
    assert "`serve.py`, `configs/serve.yaml`" in readme and "\n## Serve\n" in readme
    for path in (project / "resnet18_digits" / "serving").glob("*.py"):
        assert path.name == "__init__.py" or f"`serving/{path.name}`" in readme


def test_a_real_export_answers_as_predict_py_does(golden_copy, tmp_path):
    """train.py (a debug run), export.py, then serve.py on the newest export (no
    export=): each digit's class and probability are predict.py's for the checkpoint."""
    from sklearn.datasets import load_digits

    project = golden_copy("lightning-resnet18-digits")
    trained = run(
        ["train.py", "trainer=debug", "trainer.enable_progress_bar=false"], project
    )
    assert trained.returncode == 0, trained.stderr
    (run_dir,) = (project / "runs").iterdir()
    best = f"ckpt_path={run_dir}/checkpoints/best.ckpt"
    exported = run(["export.py", best, "export.verify=false"], project)
    assert exported.returncode == 0, exported.stderr
    photos = tmp_path / "digits"
    photos.mkdir()
    for number, pixels in enumerate(load_digits().images[-6:]):
        picture = Image.fromarray((pixels * 255 / 16).astype(np.uint8))
        picture.save(photos / f"{number}.png")
    predicted = run(["predict.py", best, f"inputs={photos}"], project)
    assert predicted.returncode == 0, predicted.stderr
    expected = {}
    for line in predicted.stdout.strip().splitlines():
        path, label, probability = line.split("\t")
        expected[Path(path).name] = (label, float(probability))
    files = [("file", (p.name, p.read_bytes())) for p in sorted(photos.iterdir())]
    with serving(project) as (url, _):
        answer = httpx.post(f"{url}/predict", files=files, timeout=30)
    assert answer.status_code == 200, answer.text
    for image in answer.json()["images"]:
        label, probability = expected[image["file"]]
        assert image["label"] == label and abs(image["score"] - probability) < 1e-3
    assert len(answer.json()["images"]) == len(expected) == 6


def png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = struct.pack(">I", zlib.crc32(kind + data))
    return struct.pack(">I", len(data)) + kind + data + crc


def gray_png(width: int, height: int, rows: int | None = None) -> bytes:
    """A gray PNG of zeros, `rows` of them written (all by default): its header says
    width x height whatever follows, and zeros compress ~1000-fold, as in a bomb."""
    packer, rows = zlib.compressobj(9), height if rows is None else rows
    block = bytes((width + 1) * min(rows, 1000))  # each row: its filter byte, pixels
    idat = b"".join(packer.compress(block) for _ in range(0, rows, 1000))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"".join(
        [
            b"\x89PNG\r\n\x1a\n",
            png_chunk(b"IHDR", header),
            png_chunk(b"IDAT", idat + packer.flush()),
            png_chunk(b"IEND", b""),
        ]
    )


def peak_memory_mb(process) -> float:
    """The server's peak resident memory so far (Linux's VmHWM), in MB."""
    status = Path(f"/proc/{process.pid}/status").read_text()
    return int(status.split("VmHWM:")[1].split()[0]) / 1024


@pytest.fixture(scope="module")
def plain(projects):
    """The classification project's server with configs/serve.yaml's own limits: (its
    URL, the process)."""
    with serving(projects("classification"), EXPORT) as served:
        yield served


def test_a_decompression_bomb_is_refused_from_its_header(plain):
    """A 144-megapixel PNG of 140 kB (decoded: 144 MB) and PNGs whose header alone
    claims more than serve.max_pixels (40,000,000): 413 from the header, nothing
    decoded, the server's peak memory unchanged."""
    url, process = plain
    bomb, before = gray_png(12000, 12000), peak_memory_mb(process)
    for data, size in [
        (bomb, "12000x12000"),
        (gray_png(100000, 100000, rows=1), "100000x100000"),
        (gray_png(10000, 5000, rows=1), "10000x5000"),
    ]:
        start = time.monotonic()
        answer = predict(url, data)
        assert answer.status_code == 413, answer.text
        assert f"{size} pixels, over serve.max_pixels=40,000,000" in answer.text
        assert time.monotonic() - start < 5
    assert peak_memory_mb(process) - before < 60, "the bomb was decoded"


@pytest.mark.parametrize(
    "data",
    [
        b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 16 16\n",  # Ghostscript's
        b"P6\n16 16\n255\n" + bytes(16 * 16 * 3),  # PPM: Pillow reads it, not served
    ],
    ids=["eps", "ppm"],
)
def test_only_the_formats_served_are_opened(classifier, data):
    answer = predict(classifier, data)
    assert answer.status_code == 400, answer.text
    assert "send PNG, JPEG, BMP, WebP, GIF or TIFF" in answer.json()["detail"]


def test_every_format_served_is_read(classifier):
    for formats in (["JPEG", "BMP", "WEBP"], ["GIF", "TIFF"]):
        answer = predict(classifier, *(png(BLUE, fmt=f) for f in formats))
        assert answer.status_code == 200, answer.text
        assert [i["label"] for i in answer.json()["images"]] == ["blue"] * len(formats)


def test_a_client_gone_mid_upload_leaves_no_traceback(plain):
    """Content-Length promises more than is sent, then the connection closes: the
    server logs no traceback and goes on answering."""
    url, process = plain
    head = (
        b"POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n"
        b"Content-Type: multipart/form-data; boundary=x\r\n\r\n"
        b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n'
    )
    for _ in range(3):
        with socket.create_connection(
            ("127.0.0.1", int(url.rsplit(":", 1)[1]))
        ) as gone:
            gone.sendall(head + png()[:40])
            time.sleep(0.2)  # the server is reading the body when the client leaves
    time.sleep(0.5)
    assert httpx.get(f"{url}/health").status_code == 200
    log = process.log.read_text()
    assert "Traceback" not in log and "ClientDisconnect" not in log, log


def test_health_answers_while_masks_are_made(projects):
    """Segmentation masks made at a large image's size (a resize, a PNG, counts) run
    beside the event loop: /health answers meanwhile."""
    buffer = io.BytesIO()
    Image.new("RGB", (6300, 6300), RED).save(buffer, format="JPEG", quality=50)
    heavy = [buffer.getvalue()] * 3
    with serving(projects("segmentation"), EXPORT) as (url, _):
        done: list = []
        sender = threading.Thread(target=lambda: done.append(predict(url, *heavy)))
        sender.start()
        waits = []
        while sender.is_alive():
            start = time.monotonic()
            assert httpx.get(f"{url}/health", timeout=30).status_code == 200
            waits.append(time.monotonic() - start)
            time.sleep(0.02)
        sender.join()
    assert done[0].status_code == 200, done[0].text
    assert done[0].json()["images"][0]["mask"]["width"] == 6300
    assert len(waits) > 5 and max(waits) < 1, waits  # on the loop: 2 s and more


@pytest.mark.parametrize(
    "task, changes, said",
    [
        ("classification", {"class_names": ["red", "green"]}, "class_names"),
        ("detection", {"class_names": ["red", "green"]}, "class_names"),
        ("classification", {"input": {"name": "pixels"}}, "input.name"),
        ("classification", {"preprocess": {"channels": 1}}, "preprocess.channels"),
        ("classification", {"preprocess": {"size": [8, 8]}}, "preprocess.size"),
        ("segmentation", {"outputs": [{"name": "scores"}]}, "outputs[0].name"),
    ],
    ids=["classes", "detector-classes", "input-name", "channels", "size", "output"],
)
def test_a_manifest_its_model_contradicts_is_refused_at_start(
    projects, tmp_path, task, changes, said
):
    """An edited manifest would start a server answering 500 to every request."""
    project = projects(task)
    folder = write_export(tmp_path / "export", task)
    manifest = __import__("json").loads((folder / "manifest.json").read_text())
    for key, value in changes.items():
        if isinstance(value, dict):
            manifest[key] |= value
        else:
            manifest[key] = value if key != "outputs" else [manifest[key][0] | value[0]]
    (folder / "manifest.json").write_text(__import__("json").dumps(manifest))
    message = serve_refuses(project, f"export={folder}")
    assert f"manifest.json's {said} does not match its model" in message
    assert message.endswith(
        "export again: python export.py ckpt_path=runs/<run>/checkpoints/best.ckpt"
    )


def test_the_newest_export_it_can_serve_is_served(projects):
    """A newer TorchScript export beside the ONNX one is passed over."""
    project = projects("detection")
    newer = project / "runs" / "traced" / "export"
    write_export(newer, "detection", format="torchscript", files=["model.pt"])
    (newer / "model.pt").write_bytes(b"TorchScript")
    with serving(project) as (url, process):
        assert httpx.get(f"{url}/metadata").json()["format"] == "onnx"
        assert "runs/fixture/export" in process.log.read_text()


def test_an_ipv6_host_is_printed_in_brackets(projects):
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        pytest.skip("no IPv6 on this machine")
    port = free_port()
    args = [EXPORT, "serve.host=::1", f"serve.port={port}"]
    server = subprocess.Popen(
        [sys.executable, "-c", WITHOUT_FRAMEWORKS, *args],
        cwd=projects("classification"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:  # the line it prints once it listens (a refusal ends the output instead)
        line = next((n for n in server.stdout if "serving" in n or "error" in n), "")
    finally:
        server.terminate()
        server.wait(30)
    assert f"on http://[::1]:{port} (docs: /docs)" in line, line


def edited(folder: Path, changes: dict) -> Path:
    """`folder`'s manifest with `changes`: "key" or "key.inner" set to each value."""
    path = folder / "manifest.json"
    manifest = __import__("json").loads(path.read_text())
    for key, value in changes.items():
        outer, _, inner = key.partition(".")
        if inner:
            manifest[outer][inner] = value
        else:
            manifest[outer] = value
    path.write_text(__import__("json").dumps(manifest))
    return folder


@pytest.mark.parametrize(
    "task, changes, said",
    [
        ("classification", {"preprocess.std": [0, 0.5, 0.5]}, "preprocess.std is [0,"),
        ("classification", {"preprocess.std": [float("nan")] * 3}, "std is [NaN,"),
        ("classification", {"preprocess.scale": "x"}, 'preprocess.scale is "x", not'),
        ("classification", {"preprocess.size": [16, 8]}, "preprocess.size is [16, 8]"),
        ("classification", {"preprocess": None}, "preprocess is null, not"),
        ("classification", {"class_names": None}, "class_names is null, not"),
        ("classification", {"class_names": ["a", "a", "b"]}, "class_names is"),
        ("classification", {"outputs": []}, "outputs is [], not"),
        ("classification", {"input.shape": [None, 3]}, "input.shape is [null, 3]"),
        ("classification", {"files": []}, "files is [], not"),
        ("classification", {"files": "model.onnx"}, 'files is "model.onnx", not'),
        ("classification", {"files": ["/etc/passwd"]}, 'files is ["/etc/passwd"]'),
        ("classification", {"files": ["../export/model.onnx"]}, "files is"),
        ("classification", {"versions.python": float("nan")}, "versions.python is NaN"),
        ("detection", {"postprocess": {}}, "postprocess.score_threshold is null"),
        ("detection", {"postprocess.score_threshold": "x"}, "score_threshold is"),
        ("detection", {"postprocess.iou_threshold": 2}, "iou_threshold is 2, not"),
        ("detection", {"postprocess.extra": 1}, "manifest.json's postprocess is {"),
        ("detection", {"postprocess.max_candidates": None}, "max_candidates is null"),
        ("detection", {"outputs": [{"name": "boxes"}]}, "boxes and scores among"),
        ("instance_segmentation", {"postprocess": None}, "postprocess is null"),
    ],
    ids=[
        "std-0",
        "std-nan",
        "scale-text",
        "not-square",
        "no-preprocess",
        "no-class-names",
        "same-class-names",
        "no-outputs",
        "input-shape",
        "no-files",
        "files-text",
        "file-outside",
        "file-up",
        "non-finite-anywhere",
        "no-postprocess",
        "threshold-text",
        "iou-out-of-range",
        "unknown-choice",
        "candidates-null",
        "output-missing",
        "instances-postprocess",
    ],
)
def test_a_manifest_value_it_cannot_serve_is_refused_at_start(
    projects, tmp_path, task, changes, said
):
    """Each value serve.py reads, of a wrong type or out of range: one line naming
    it, rather than a server answering 500 to every request."""
    folder = edited(write_export(tmp_path / "export", task), changes)
    message = serve_refuses(projects(task), f"export={folder}")
    assert said in message and message.startswith(f"export={folder}: manifest.json's")


def test_a_model_answering_nan_is_refused_at_start(projects, tmp_path):
    """An export of a checkpoint of nan weights (export.verify=false)."""
    folder = write_export(tmp_path / "export", "classification")
    spoil(folder, "weights")
    message = serve_refuses(projects("classification"), f"export={folder}")
    assert "model.onnx answers nan or inf (logits) for a blank image" in message


def test_a_nan_answer_at_request_time_is_a_reason_not_a_trace(projects, tmp_path):
    """A model finite on a blank image, nan on a coloured one: 500 with the reason
    in JSON, no traceback in the log, and the server goes on answering."""
    folder = write_export(tmp_path / "export", "classification")
    spoil(folder, "colours")
    with serving(projects("classification"), f"export={folder}") as (url, process):
        answer = predict(url, png(GREEN))
        assert answer.status_code == 500, answer.text
        said = "image0.png: the model answered nan or inf for this image"
        assert answer.json()["detail"] == said
        assert predict(url, png((0, 0, 0))).status_code == 200
    assert "Traceback" not in process.log.read_text()


@pytest.mark.parametrize("batch", [None, 1], ids=["as-is", "one-at-a-time"])
def test_a_swapped_model_file_is_refused_at_start(projects, tmp_path, batch):
    """Mask R-CNN's model.onnx copied into a YOLOv5 export (and its manifest's batch
    made Mask R-CNN's, one image at a time): its outputs are not a YOLOv5 model's."""
    folder = write_export(tmp_path / "export", "detection")
    masks = write_export(tmp_path / "instances", "instance_segmentation")
    (folder / "model.onnx").write_bytes((masks / "model.onnx").read_bytes())
    if batch:
        edited(folder, {"input.shape": [1, 3, 16, 16]})
    message = serve_refuses(projects("detection"), f"export={folder}")
    field = "input.shape" if batch is None else "outputs[1]"
    assert f"manifest.json's {field} does not match its model" in message


def test_two_servers_started_together_one_refused_in_one_line(projects):
    """On one port at once: one serves (answering as soon as it says so), the other
    is refused in one line."""
    port = free_port()
    args = [sys.executable, "-c", WITHOUT_FRAMEWORKS, EXPORT, f"serve.port={port}"]
    cwd = projects("classification")
    servers = [
        subprocess.Popen(
            args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    try:
        start = time.monotonic()
        while all(server.poll() is None for server in servers):
            assert time.monotonic() - start < 60, "neither was refused"
            time.sleep(0.05)
        loser = next(server for server in servers if server.poll() is not None)
        winner = servers[1 - servers.index(loser)]
        stderr = loser.stderr.read()
        assert loser.returncode == 2, stderr
        said = assert_one_documented_line(stderr, SERVE)
        assert f"127.0.0.1:{port} is in use" in said and not loser.stdout.read()
        assert "serving" in winner.stdout.readline()
        assert httpx.get(f"http://127.0.0.1:{port}/health").status_code == 200
    finally:
        for server in servers:
            server.terminate()
            server.wait(30)


@pytest.mark.parametrize("broken", ["manifest", "model"])
def test_a_broken_newest_export_is_refused_not_passed_over(projects, tmp_path, broken):
    """Without export=: the newest export, its manifest cut short or its model
    missing, is named, with the fixes; an older one is not served instead."""
    project = Path(__import__("shutil").copytree(projects("detection"), tmp_path / "p"))
    newest = write_export(project / "runs" / "newer" / "export", "detection")
    if broken == "manifest":
        manifest = newest / "manifest.json"
        manifest.write_text(manifest.read_text()[:100])
    else:
        (newest / "model.onnx").unlink()
    message = serve_refuses(project)
    assert message.endswith(
        "(runs/newer/export is the newest export under runs/, served without export=:"
        " mend or delete it, or name another with export=DIR)"
    )
    assert ("is not JSON" if broken == "manifest" else "names model.onnx") in message


@pytest.mark.parametrize("backend", ["lightning", "paddle"])
def test_a_second_ctrl_c_ends_at_once_in_one_line(projects, backend):
    """Ctrl-C, then Ctrl-C again while an upload is in flight: the upload is
    dropped, no traceback, one line, exit code 130 (as a script stopped by Ctrl-C)."""
    with serving(projects("classification", backend), EXPORT) as (url, process):
        port = int(url.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port)) as upload:
            upload.sendall(
                b"POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n"
                b"Content-Type: multipart/form-data; boundary=x\r\n\r\n--x\r\n"
                b'Content-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n'
            )
            time.sleep(0.5)
            process.send_signal(signal.SIGINT)
            time.sleep(0.5)
            process.send_signal(signal.SIGINT)
            assert process.wait(30) == 130, process.log.read_text()
    log = process.log.read_text()
    assert "Traceback" not in log and "CancelledError" not in log, log
    assert log.rstrip().endswith("\nstopped by Ctrl-C"), log


def test_the_manifest_file_names_its_export(projects):
    with serving(projects("classification"), f"{EXPORT}/manifest.json") as (url, _):
        assert predict(url, png(RED)).json()["images"][0]["label"] == "red"


def test_a_file_named_by_filename_star_alone_is_a_file(classifier):
    """RFC 5987's filename*= (UTF-8, percent-encoded), without filename=."""
    body = (
        b'--x\r\nContent-Disposition: form-data; name="file";'
        b" filename*=UTF-8''caf%C3%A9.png\r\nContent-Type: image/png\r\n\r\n"
        + png(BLUE)
        + b"\r\n--x--\r\n"
    )
    answer = httpx.post(
        f"{classifier}/predict",
        content=body,
        headers={"content-type": "multipart/form-data; boundary=x"},
    )
    assert answer.status_code == 200, answer.text
    (image,) = answer.json()["images"]
    assert image["file"] == "café.png" and image["label"] == "blue"


def test_a_lab_image_is_read_by_gray_and_rgb_servers_alike(projects, tmp_path):
    """A LAB TIFF: converted as every other mode is, to RGB or to gray."""
    white = png((255, 128, 128), mode="LAB", fmt="TIFF")
    black = png((0, 128, 128), mode="LAB", fmt="TIFF")
    gray = write_export(tmp_path / "gray", "classification", gray=True)
    with serving(projects("classification"), f"export={gray}") as (url, _):
        answer = predict(url, white, black, png(255, mode="L"))
    assert answer.status_code == 200, answer.text
    assert [i["label"] for i in answer.json()["images"]] == ["red", "blue", "red"]
    with serving(projects("classification"), EXPORT) as (url, _):
        answer = predict(url, png((0, 128, 128), mode="LAB", fmt="TIFF"))
    assert answer.status_code == 200, answer.text
