"""serve.py's server: uvicorn on a socket that listens before the model loads (a port
in use is said in one line, even when two servers start together), stopping
gracefully on Ctrl-C or SIGTERM: it takes no new connections, answers the requests it
has, then exits 0; a second Ctrl-C drops them and ends at once, in one line."""

import errno
import logging
import signal
import socket
from contextlib import nullcontext

import uvicorn

from ..errors import UserError
from ..exporting.onnx_runner import OnnxModel
from . import TASK
from .checks import check_manifest_against_model, try_the_model
from .exports import find_export, newest


class GracefulServer(uvicorn.Server):
    ready = ""  # the line printed once it answers

    async def startup(self, sockets=None) -> None:
        await super().startup(sockets)
        if self.started:
            print(self.ready, flush=True)

    def handle_exit(self, sig, frame) -> None:
        forced = self.should_exit and sig == signal.SIGINT  # uvicorn: a second Ctrl-C
        super().handle_exit(sig, frame)
        # uvicorn raises the signal again once it has finished, which would end the
        # process with 130 or 143: finishing is this server's whole answer to it (exit 0)
        self._captured_signals.clear()
        if forced:  # the requests in flight are dropped: their tasks, cancelled, would
            # each log a traceback; raised again, the signal ends it as Ctrl-C does
            # a script (errors.py's run_cli: "stopped by Ctrl-C", 130)
            logging.getLogger("uvicorn.error").disabled = True
            self._captured_signals.append(sig)


def serve(settings) -> None:
    folder, _ = find_export(settings.export, TASK)
    host, port = settings.serve.host, settings.serve.port
    listening = listen(host, port)
    with nullcontext() if settings.export else newest(folder):
        model = load(folder, settings.serve.threads)
        check_manifest_against_model(folder, model.manifest, model.session)
        try_the_model(folder, model)
    from .app import create_app  # its task's answers: only once the export is known

    app = create_app(model, settings.serve)
    config = uvicorn.Config(app, access_log=False, timeout_graceful_shutdown=30)
    server = GracefulServer(config)
    where = f"[{host}]" if ":" in host else host  # an IPv6 address, as URLs write it
    server.ready = f"serving {folder} on http://{where}:{port} (docs: /docs)"
    server.run(sockets=[listening])


def load(folder, threads: int) -> OnnxModel:
    try:
        return OnnxModel(folder, threads=threads)
    except UserError:
        raise
    except Exception as error:  # a model file ONNX Runtime cannot load
        raise UserError(
            f"export={folder}: ONNX Runtime cannot load it ({str(error).splitlines()[0]});"
            " export it again"
        ) from None


def listen(host: str, port: int) -> socket.socket:
    """A socket listening on host:port, handed to uvicorn: listening here, not only
    bound, makes a second server started at once fail here, in one line."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP named: asyncio turns Nagle's algorithm off (TCP_NODELAY) only on
    # connections of a socket that says it is TCP; left on, each answer, written as
    # headers then body, waited for the client's delayed ACK: 40 ms a request
    listening = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listening.bind((host, port))
        listening.listen(2048)  # uvicorn's backlog
    except OSError as error:
        listening.close()
        if error.errno == errno.EADDRINUSE:
            raise UserError(
                f"serve.port={port}: {host}:{port} is in use (another server?); stop"
                f" it or pick another port, e.g. serve.port={port % 65535 + 1}"
            ) from None
        raise UserError(
            f"serve.host={host}: cannot listen there ({error.strerror or error}); use"
            " 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)"
        ) from None
    return listening
