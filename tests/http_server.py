"""A real HTTP server on 127.0.0.1 that serves files from a folder, for download tests,
and one that misbehaves on purpose: it cuts connections, corrupts a byte, answers 404,
or never answers, and counts what it was asked for."""

import functools
import http.server
import socket
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # keep test output clean
        pass


@contextmanager
def serve(folder: Path):
    """Serve `folder` over HTTP; yields the base URL (ending in /)."""
    with serving(functools.partial(QuietHandler, directory=str(folder))) as url:
        yield url


@contextmanager
def serving(handler):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Faults:
    """What the faulty server does; `requests` logs (path, Range header) as served."""

    cut_after: int | None = None  # bytes sent, then the connection is cut (first GET)
    corrupt: bool = False  # one byte of every file flipped
    status: int | None = None  # every GET answered with this status, no file
    silent: bool = False  # connections accepted, never answered
    no_length: bool = False  # no Content-Length header: the size is unknown
    slow_s: float = 0.0  # a pause after each 4 KiB sent, so that downloads overlap
    requests: list = field(default_factory=list)


class FaultyHandler(QuietHandler):
    """Serves files with HTTP Range support (SimpleHTTPRequestHandler has none)."""

    faults: Faults

    def do_GET(self):
        faults = self.faults
        faults.requests.append((self.path, self.headers.get("Range")))
        if faults.silent:
            time.sleep(30)
            return
        path = Path(self.directory) / self.path.lstrip("/").split("?")[0]
        if faults.status or not path.is_file():
            self.send_error(faults.status or 404)
            return
        content = bytearray(path.read_bytes())
        if faults.corrupt:
            content[len(content) // 2] ^= 0xFF
        start = int(self.headers.get("Range", "bytes=0-")[6:].split("-")[0])
        self.send_response(206 if start else 200)
        if not faults.no_length:
            self.send_header("Content-Length", str(len(content) - start))
        self.end_headers()
        body = bytes(content[start:])
        first_get = len([r for r in faults.requests if r[0] == self.path]) == 1
        if faults.cut_after is not None and first_get:
            self.wfile.write(body[: faults.cut_after])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return
        for at in range(0, len(body), 4096):
            self.wfile.write(body[at : at + 4096])
            time.sleep(faults.slow_s)
        self.close_connection = faults.no_length


@contextmanager
def serve_faulty(folder: Path, faults: Faults):
    """Serve `folder` with `faults`; yields the base URL (ending in /)."""
    handler = type("Handler", (FaultyHandler,), {"faults": faults})
    with serving(functools.partial(handler, directory=str(folder))) as url:
        yield url


def closed_port_url() -> str:
    """A URL on 127.0.0.1 where nothing listens: what an offline machine sees."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/"
