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
import time
from datetime import date
from pathlib import Path

from .runs import emit, timed
from .serve_load import httpx_latency, load, merged, percentile


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


def in_process(project: Path, export: Path, pngs: list[bytes], count: int) -> tuple:
    """([seconds of each image], CPU seconds per image) of the server's own work, one
    image at a time, without HTTP: decode, prepare, run, softmax (in a process of the
    project, as the server's)."""
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
    if turn == 50:
        cpu = time.process_time()
    started = time.perf_counter()
    images = decode_images([pngs[turn % len(pngs)]], model.manifest["preprocess"])
    probabilities(model.run(model.prepare(images))[0])
    times.append(time.perf_counter() - started)
print(json.dumps([times[50:], (time.process_time() - cpu) / {count}]))
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
            direct, alone, cpu = [], [], {"server": [], "in-process": []}
            for _ in range(3):
                times, per_image = in_process(project, export, pngs, args.requests // 3)
                direct += times
                cpu["in-process"].append(per_image)
                used = cpu_seconds(server.pid)
                alone.append(load(port, pngs, 1, args.requests // 3))
                cpu["server"].append(
                    (cpu_seconds(server.pid) - used) / alone[-1]["requests"]
                )
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
    server_cpu, direct_cpu = (1000 * statistics.median(cpu[k]) for k in cpu)
    print(
        f"CPU per request at concurrency 1: server {server_cpu:.2f} ms, in-process"
        f" {direct_cpu:.2f} ms: the server's own work {server_cpu - direct_cpu:.2f} ms"
        " (what the load of other processes does not inflate)"
    )


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds process `pid` has used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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
