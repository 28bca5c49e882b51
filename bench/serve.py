"""serve.py under load against ONNX Runtime called in-process, on the same export.

python -m bench serve [--project DIR] [--export DIR] [--requests 600] [--levels 1,8,32]
Without --project: renders resnet18/digits (Lightning, --with export --with serve),
trains it briefly (trainer=debug: accuracy is not measured) and exports it with
export.py; the export is resnet18 at the digits' training resolution (8 x 8 gray).
The server (serve.py, its defaults) runs in its own process on 127.0.0.1; a bounded load
of --requests requests (one digit PNG each, the test split's) is sent at each
concurrency level by as many client threads, each on its own keep-alive connection,
after a warm-up. The clients write prepared requests on raw sockets: httpx's own work
per request costs more than the server's on this CPU and would be counted as the
server's (its p50 at concurrency 1 is printed beside). Reported per level: p50 and p99
latency, requests/s, errors (anything but a 200 with a label); and in-process: the
same PNGs decoded, prepared and run one by one through the export's OnnxModel (the
server's own work, without HTTP). Server overhead = server p50 at concurrency 1 minus
in-process p50 (target <= 2 ms, zero errors).
"""

import io
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

from .runs import emit, timed


def add_arguments(options) -> None:
    options.add_argument("--project", type=Path)
    options.add_argument("--export", type=Path)
    options.add_argument("--requests", type=int, default=600)
    options.add_argument("--levels", default="1,8,32")


def digit_pngs(count: int = 200) -> list[bytes]:
    """The digits' test images as 8 x 8 gray PNGs (what a client would send)."""
    import numpy as np
    from PIL import Image
    from sklearn.datasets import load_digits

    images = load_digits().images[-count:]
    pngs = []
    for pixels in images:
        buffer = io.BytesIO()
        Image.fromarray((pixels * 255 / 16).astype(np.uint8)).save(buffer, "PNG")
        pngs.append(buffer.getvalue())
    return pngs


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def make_export(project: Path) -> Path:
    cmd = [
        sys.executable,
        "train.py",
        "trainer=debug",
        "trainer.enable_progress_bar=false",
    ]
    timed(cmd, project)
    run_dir = sorted((project / "runs").iterdir())[-1]
    timed(
        [sys.executable, "export.py", f"ckpt_path={run_dir}/checkpoints/best.ckpt"],
        project,
    )
    return run_dir / "export"


def request_bytes(png: bytes) -> bytes:
    """A whole POST /predict of one PNG, as a client sends it (one write)."""
    boundary = "benchserve"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="d.png"'
            f"\r\nContent-Type: image/png\r\n\r\n"
        ).encode()
        + png
        + f"\r\n--{boundary}--\r\n".encode()
    )
    head = (
        f"POST /predict HTTP/1.1\r\nHost: bench\r\nContent-Length: {len(body)}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\n\r\n"
    )
    return head.encode() + body


def exchange(connection: socket.socket, request: bytes) -> bytes:
    """Send `request`, read its answer (HTTP/1.1 keep-alive, Content-Length)."""
    connection.sendall(request)
    data = b""
    while b"\r\n\r\n" not in data:
        data += connection.recv(65536) or b"!closed"
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
    while len(body) < length:
        body += connection.recv(65536)
    return head.split(b"\r\n")[0] + b" " + body


def load(port: int, pngs: list[bytes], clients: int, total: int) -> dict:
    """`total` requests from `clients` threads, each on its own keep-alive connection,
    each sending its next request when the last is answered."""
    requests = [request_bytes(png) for png in pngs]
    latencies, errors, lock = [], [], threading.Lock()
    per_client = max(1, total // clients)

    def client(number: int) -> None:
        with socket.create_connection(("127.0.0.1", port)) as connection:
            connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            for turn in range(per_client):
                request = requests[(number * per_client + turn) % len(requests)]
                started = time.perf_counter()
                answer = exchange(connection, request)
                took = time.perf_counter() - started
                with lock:
                    if answer.startswith(b"HTTP/1.1 200") and b'"label"' in answer:
                        latencies.append(took)
                    else:
                        errors.append(answer[:200])

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {
        "clients": clients,
        "requests": per_client * clients,
        "p50_ms": 1000 * statistics.median(latencies) if latencies else None,
        "p99_ms": 1000 * percentile(latencies, 0.99) if latencies else None,
        "per_s": len(latencies) / wall,
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
        "latencies": latencies,
    }


def httpx_latency(url: str, pngs: list[bytes], count: int) -> float:
    """p50 ms of one httpx client's requests, one at a time: what the client itself
    adds, beside the lean client above."""
    import httpx

    times = []
    with httpx.Client(timeout=60) as session:
        for turn in range(count):
            started = time.perf_counter()
            answer = session.post(
                url, files={"file": ("d.png", pngs[turn % len(pngs)])}
            )
            answer.raise_for_status()
            times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times)


def in_process(project: Path, export: Path, pngs: list[bytes], count: int) -> list:
    """Seconds of the server's own work per image, one at a time, without HTTP:
    decode, prepare, run, softmax (in a process of the project, as the server's)."""
    package = next(
        p.parent.parent.name for p in project.glob("*/exporting/onnx_runner.py")
    )
    code = f"""
import json, pickle, sys, time
from {package}.exporting.onnx_runner import OnnxModel
from {package}.exporting.preprocess import decode_images
from {package}.exporting.postprocess import probabilities
pngs = pickle.load(sys.stdin.buffer)
model = OnnxModel({str(export)!r}, threads=1)  # serve.threads' default
times = []
for turn in range({count} + 50):
    started = time.perf_counter()
    images = decode_images([pngs[turn % len(pngs)]], model.manifest["preprocess"])
    probabilities(model.run(model.prepare(images))[0])
    times.append(time.perf_counter() - started)
print(json.dumps(times[50:]))
"""
    import json
    import pickle

    done = subprocess.run(
        [sys.executable, "-c", code],
        input=pickle.dumps(pngs),
        cwd=project,
        capture_output=True,
        check=True,
    )
    return json.loads(done.stdout)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main(args) -> None:
    import httpx

    levels = [int(c) for c in args.levels.split(",")]
    with tempfile.TemporaryDirectory() as scratch:
        project = args.project or emit(
            Path(scratch) / "served",
            model="resnet18",
            data="digits",
            features=["export", "serve"],
        )
        export = args.export or make_export(project)
        pngs = digit_pngs()
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "serve.py", f"export={export}", f"serve.port={port}"],
            cwd=project,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):
                try:
                    if httpx.get(f"{url}/health").status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            load(port, pngs, 4, 200)  # warm-up
            # concurrency 1 and in-process in turns: the machine's other load drifts
            direct, alone = [], []
            for _ in range(3):
                direct += in_process(project, export, pngs, args.requests // 3)
                alone.append(load(port, pngs, 1, args.requests // 3))
            rows, batches = [], []
            for clients in levels:
                if clients == 1:
                    rows.append(merged(alone))
                else:
                    rows.append(load(port, pngs, clients, args.requests))
                batches.append(httpx.get(f"{url}/health").json()["batches"])
            with_httpx = httpx_latency(f"{url}/predict", pngs, args.requests // 3)
        finally:
            server.terminate()
            server.wait(30)
    report(args, rows, direct, batches, with_httpx)


def merged(parts: list[dict]) -> dict:
    """One row of several runs at one concurrency."""
    latencies = [t for part in parts for t in part["latencies"]]
    return {
        **parts[0],
        "requests": sum(part["requests"] for part in parts),
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * percentile(latencies, 0.99),
        "per_s": statistics.median(part["per_s"] for part in parts),
        "errors": sum(part["errors"] for part in parts),
    }


def report(args, rows: list[dict], direct: list, batches: list, with_httpx) -> None:
    where = f"{platform.node()} ({os.cpu_count()} cores)"
    load_now = " ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"serve: resnet18/digits (8 x 8 gray), {where}, {date.today()}")
    print(f"load average at the end: {load_now}")
    print(
        "| clients | requests | p50 ms | p99 ms | requests/s | errors | images per run |"
    )
    print("|---|---|---|---|---|---|---|")
    for row, sizes in zip(rows, batches, strict=True):
        shown = f"mean {statistics.mean(sizes):.1f}, max {max(sizes)}"
        print(
            f"| {row['clients']} | {row['requests']} | {row['p50_ms']:.2f} |"
            f" {row['p99_ms']:.2f} | {row['per_s']:.0f} | {row['errors']} | {shown} |"
        )
    p50, p99 = 1000 * statistics.median(direct), 1000 * percentile(direct, 0.99)
    print(
        f"| in-process | {len(direct)} | {p50:.2f} | {p99:.2f} |"
        f" {len(direct) / sum(direct):.0f} | 0 | 1 |"
    )
    if rows[0]["clients"] == 1:
        overhead = rows[0]["p50_ms"] - p50
        print(f"server overhead at concurrency 1: {overhead:.2f} ms p50 (target <= 2)")
    print(f"p50 at concurrency 1 with an httpx client instead: {with_httpx:.2f} ms")
    for row in rows:
        if row["errors"]:
            print(f"{row['clients']} clients: first error: {row['first_error']}")
