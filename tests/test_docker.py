"""The emitted images, built and run with podman (docs/docker.md): the Paddle CPU training
image trains without a network, the GPU image builds (on a stand-in base: no CUDA image
can be pulled here), and the serving image, built from an export, answers /predict from
the host. Where podman is not set up every test here is skipped, saying how to set it
up (`pytest -rs` shows the reason); tests/docker/setup_podman.sh does it, once, as root.

Builds reach PyPI (`--network host`, this host's CA bundle mounted); podman keeps each
step's layer, so only the first build of a requirements.txt downloads.
"""

import json
import os
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.serving import free_port, write_export

STATE = Path(os.environ.get("ONEFIT_PODMAN_DIR", "/var/tmp/onefit-podman"))
SETUP = "run tests/docker/setup_podman.sh (as root), then pytest tests/test_docker.py"
CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
# The stand-ins setup_podman.sh tags with the names the Dockerfiles use.
BASES = ["python:3.11-slim", "nvidia/cuda:12.6.3-cudnn-runtime-ubuntu22.04"]


ENV = {
    **os.environ,
    "CONTAINERS_CONF": str(STATE / "containers.conf"),
    "CONTAINERS_STORAGE_CONF": str(STATE / "storage.conf"),
}


class Podman:
    """podman with this suite's configuration (setup_podman.sh's state folder)."""

    def __call__(self, *args: str, timeout: float = 900, check: bool = True):
        result = subprocess.run(
            ["podman", *args],
            env=ENV,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check and result.returncode != 0:
            tail = (result.stdout + result.stderr)[-3000:]
            pytest.fail(
                f"podman {' '.join(args[:2])} failed ({result.returncode}):\n{tail}"
            )
        return result

    def build(self, context: Path, tag: str, *args: str) -> float:
        """Build `tag` from `context`; the seconds it took."""
        mounts = ["-v", f"{CA_BUNDLE}:{CA_BUNDLE}:ro"] if CA_BUNDLE.exists() else []
        started = time.monotonic()
        self(
            "build",
            "--pull=never",
            "--network",
            "host",
            *mounts,
            "-t",
            tag,
            *args,
            str(context),
        )
        return time.monotonic() - started

    def run(self, image: str, *args: str, options: tuple = (), **kw):
        """`podman run --rm` with no network unless `options` gives one."""
        network = () if "--network" in options else ("--network", "none")
        return self("run", "--rm", *network, *options, image, *args, **kw)

    def size_mb(self, tag: str) -> float:
        return int(self("image", "inspect", "--format", "{{.Size}}", tag).stdout) / 1e6


@pytest.fixture(scope="module")
def podman() -> Podman:
    if shutil.which("podman") is None:
        pytest.skip(f"podman not installed: {SETUP}")
    if not (STATE / "containers.conf").exists():
        pytest.skip(f"podman not configured for these tests ({STATE}): {SETUP}")
    tool = Podman()
    for base in BASES:
        if tool("image", "exists", base, check=False).returncode != 0:
            pytest.skip(f"base image {base} missing: {SETUP}")
    return tool


def writable_runs(project: Path) -> Path:
    """runs/ for the container's user (uid 1000) to write into, from the host."""
    runs = project / "runs"
    runs.mkdir(exist_ok=True)
    runs.chmod(0o777)
    return runs


TRAINED = {"lightning": "best.ckpt", "paddle": "best.pdparams"}


@pytest.mark.parametrize("backend", ["paddle", "lightning"])
def test_cpu_image_trains_without_a_network(podman, golden_copy, backend):
    if backend == "lightning" and os.environ.get("ONEFIT_DOCKER_LIGHTNING") != "1":
        pytest.skip(
            "Lightning's CPU image takes torch from PyPI here (its CPU index is out of"
            " reach): several GB a build; ONEFIT_DOCKER_LIGHTNING=1 builds it"
        )
    project, image = (
        golden_copy(f"{backend}-resnet18-digits"),
        f"onefit-test/{backend}-cpu",
    )
    index = ("--build-arg", "TORCH_INDEX=https://pypi.org/simple")
    seconds = podman.build(project, image, *(index if backend == "lightning" else ()))
    runs = writable_runs(project)
    mount = ("-v", f"{runs}:/app/runs")
    result = podman.run(image, "trainer=debug", "data.num_workers=0", options=mount)
    run_dir = next(runs.iterdir())
    metrics = json.loads((run_dir / "metrics.json").read_text())
    assert 0 <= metrics["test/acc"] <= 1, result.stdout[-2000:]
    assert (run_dir / "checkpoints" / TRAINED[backend]).is_file()
    print(f"{image}: {podman.size_mb(image):.0f} MB, built in {seconds:.0f} s")


def test_paddle_gpu_dockerfile_builds_on_a_stand_in_base(podman, golden_copy):
    """Its own steps (Python from the distribution, a venv, the requirements with the
    paddle package swapped): the CPU package from PyPI here, as no GPU wheel is reachable.
    """
    project, image = golden_copy("paddle-resnet18-digits"), "onefit-test/paddle-gpu"
    podman.build(
        project,
        image,
        *("-f", str(project / "Dockerfile.gpu")),
        *("--build-arg", "PADDLE_PACKAGE=paddlepaddle"),
        *("--build-arg", "PADDLE_INDEX=https://pypi.org/simple"),
    )
    code = "import sys, paddle; print(sys.version_info[:2], sys.prefix, paddle.__version__)"
    result = podman.run(image, "-c", code, options=("--entrypoint", "python"))
    assert result.stdout.split() == ["(3,", "11)", "/opt/venv", "3.3.1"]


def red_png() -> bytes:
    """A red 32x32 PNG: the colour reader of tests/serving.py answers "red"."""
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (32, 32), (255, 0, 0)).save(out, format="PNG")
    return out.getvalue()


def post_file(url: str, content: bytes) -> dict:
    """POST `content` as the multipart field `file`, as curl -F file=@digit.png does."""
    boundary = "onefit-test-boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            'filename="digit.png"\r\nContent-Type: image/png\r\n\r\n'
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        url,
        data=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def labels_in(answer) -> list[str]:
    """Every "label" in a JSON answer, wherever the server nests it."""
    if isinstance(answer, dict):
        found = [answer["label"]] if isinstance(answer.get("label"), str) else []
        return found + [x for value in answer.values() for x in labels_in(value)]
    if isinstance(answer, list):
        return [x for value in answer for x in labels_in(value)]
    return []


def wait_for_health(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.5)


def test_serving_image_answers_predict_from_the_host(podman, golden_copy):
    """An export under runs/ (tests/serving.py's colour reader: a real ONNX file and
    manifest, made without training) built into the slim image: under 500 MB, neither
    torch nor paddle inside, and /predict from the host answers a red image "red"."""
    project = golden_copy("lightning-resnet18-digits")
    export = Path("runs", "colours", "export")
    write_export(project / export, "classification")

    image = "onefit-test/serve"
    dockerfile = ("-f", str(project / "Dockerfile.serve"))
    seconds = podman.build(
        project, image, *dockerfile, "--build-arg", f"EXPORT={export}"
    )
    size = podman.size_mb(image)
    print(f"{image}: {size:.0f} MB, built in {seconds:.0f} s")
    assert size <= 500
    code = (
        "import importlib.util as u, json, os; print(json.dumps([sorted(os.listdir()),"
        " [m for m in ('torch', 'paddle') if u.find_spec(m)]]))"
    )
    found = podman.run(image, "-c", code, options=("--entrypoint", "python"))
    files, frameworks = json.loads(found.stdout)
    assert frameworks == []
    assert files == [
        *("configs", "export", "requirements.txt", "resnet18_digits"),
        *("serve-requirements.txt", "serve.py"),
    ]

    port = free_port()
    name = f"onefit-test-serve-{port}"
    host = ("--network", "host")  # this host's netavark has no iptables for -p
    podman("run", "-d", "--name", name, *host, image, f"serve.port={port}")
    try:
        wait_for_health(f"http://127.0.0.1:{port}/health")
        answer = post_file(f"http://127.0.0.1:{port}/predict", red_png())
        assert labels_in(answer) == ["red"], answer
    finally:  # SIGTERM: the server finishes and exits 0 (not killed after 20 s)
        podman("stop", "-t", "20", name, check=False)
        status = podman("inspect", "--format", "{{.State.ExitCode}}", name).stdout
        logs = podman("logs", name, check=False).stderr
        podman("rm", "-f", name, check=False)
    assert status.strip() == "0", logs[-2000:]
