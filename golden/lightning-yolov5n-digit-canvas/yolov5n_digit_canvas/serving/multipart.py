"""A /predict request's form: its files, the multipart fields named `file`, held to
configs/serve.yaml's limits (411 without a length, 413 for too much, 400 for a form
it cannot use). A part naming its file by RFC 5987's filename*= alone is a file too
(Starlette's parser would make it a text field), and a file under another field's
name is refused by that name, not answered with nothing; other text fields are left
unread."""

import re
from urllib.parse import unquote_to_bytes

from fastapi import HTTPException, Request
from python_multipart.multipart import parse_options_header
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import ClientDisconnect

HOW = "send each image as a multipart form field named file (curl -F file=@image.png)"
STARRED = re.compile(rb"""filename\*\s*=\s*"?([\w!#$&+.^`|~-]*)'[^']*'([^";\s]*)""")


class Parser(MultiPartParser):
    def on_headers_finished(self) -> None:
        """A part with filename*= and no filename=: given the name it encodes."""
        part = self._current_part
        _, options = parse_options_header(part.content_disposition)
        starred = STARRED.search(part.content_disposition or b"")
        if starred and b"filename" not in options:
            charset = starred[1].decode("ascii") or "utf-8"
            name = unquote_to_bytes(starred[2]).decode(charset, "replace")
            name = name.replace("\\", "\\\\").replace('"', '\\"')
            part.content_disposition += f'; filename="{name}"'.encode(self._charset)
        super().on_headers_finished()


async def read_files(request: Request, limits) -> list[tuple[str, bytes]]:
    """(each `file`'s name, its bytes), in their order."""
    length = request.headers.get("content-length")
    if length is None or not length.isdigit():
        raise HTTPException(411, f"a request needs its Content-Length: {HOW}")
    if int(length) > limits.max_request_mb * 1e6:
        raise HTTPException(
            413,
            f"the request's {int(length):,} bytes are over serve.max_request_mb="
            f"{limits.max_request_mb:g} (MB): send fewer or smaller images",
        )
    # a few files more than allowed are read, to name a wrong field rather than count it
    most = limits.max_files + 16
    kind, _ = parse_options_header(request.headers.get("content-type"))
    try:
        if kind == b"multipart/form-data":
            parser = Parser(request.headers, request.stream(), max_files=most)
            form = await parser.parse()
        else:  # a url-encoded form, or none: no file in it, said below
            form = await request.form(max_files=most, max_fields=100)
    except ClientDisconnect:  # gone mid-upload: nobody reads an answer, nothing to log
        raise HTTPException(
            400, "the client went away before its upload ended"
        ) from None
    except (MultiPartException, StarletteHTTPException) as error:
        said = getattr(error, "message", None) or getattr(error, "detail", error)
        if "Too many files" in str(said):
            raise HTTPException(
                413, f"over serve.max_files={limits.max_files} images in one request"
            ) from None
        raise HTTPException(400, f"not a multipart form: {said}; {HOW}") from None
    try:
        return await files_of(form, limits)
    finally:
        await form.close()


async def files_of(form, limits) -> list[tuple[str, bytes]]:
    files = form.getlist("file")
    if not files:
        raise HTTPException(400, f"the request has no field named file: {HOW}")
    others = [
        k for k, v in form.multi_items() if k != "file" and isinstance(v, UploadFile)
    ]
    if others:
        raise HTTPException(400, f"a file is sent as the field {others[0]!r}: {HOW}")
    if len(files) > limits.max_files:
        raise HTTPException(
            413, f"over serve.max_files={limits.max_files} images in one request"
        )
    if not all(isinstance(f, UploadFile) for f in files):
        raise HTTPException(400, f"a field named file holds text, not a file: {HOW}")
    return [
        (f.filename or f"file {i + 1}", await f.read()) for i, f in enumerate(files)
    ]
