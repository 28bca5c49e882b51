"""Is the dataset the config names there, and verified? Checked by the code that
prepares it before every run (data/), with the network shut: each file there is verified
against its checksum as a run would, and what a run would download is named, never
fetched."""

import io
import sys
from contextlib import contextmanager, redirect_stderr

from ..errors import UserError
from .findings import Finding

OFFLINE = "python doctor.py does not download"
SHUT: list[bool] = []  # non-empty while the network is shut for this process
HOOKED: list[bool] = []  # an audit hook cannot be removed: it is added once
BUNDLED = {"digit_canvas": "is written from scikit-learn's digits by the first run"}
OFF_DISK = ()  # digit_canvas is written under data.root


def refuse_network(event: str, args) -> None:
    if SHUT and event in ("socket.getaddrinfo", "socket.connect"):
        raise ConnectionRefusedError(OFFLINE)  # to urllib, a host that does not answer


@contextmanager
def network_shut():
    if not HOOKED:
        sys.addaudithook(refuse_network)
        HOOKED.append(True)
    SHUT.append(True)
    try:
        yield
    finally:
        SHUT.pop()


def make_ready(data) -> None:
    """What a run does with its data before it starts: check, download, unpack."""
    from ..data.coco_folder import LAYOUT
    from ..data.coco_sets import dataset_folder, prepare

    prepare(data)
    folder = dataset_folder(data)
    if data.name.startswith("coco") and not (folder / "annotations").is_dir():
        raise UserError(f"data.root={data.root}: {folder} should hold {LAYOUT}")


def check(cfg) -> Finding:
    if cfg is None:
        return Finding("data", "warn", "not checked: the config could not be read")
    data = cfg.data
    if data.name in BUNDLED:
        return Finding("data", "ok", f"data={data.name} {BUNDLED[data.name]}")
    try:
        with network_shut(), redirect_stderr(io.StringIO()):  # no "downloading ..."
            make_ready(data)
    except UserError as error:
        said = str(error)
        if OFFLINE not in said:  # there, but not as a run needs it
            fix = "as said; python check_data.py shows more"
            return Finding("data", "fail", said, fix)
        place = said.split("Offline? ", 1)[-1]
        found = f"data={data.name} is not in {data.root} yet; a run downloads it"
        return Finding("data", "warn", found, f"offline: {place[0].lower()}{place[1:]}")
    except OSError as error:  # data.root is a file, or may not be read
        said = f"data.root={data.root}: {error.strerror or error}: {error.filename}"
        return Finding("data", "fail", said, "set data.root=<a folder you may write>")
    if not data.verify_checksums:
        said = f"data={data.name} is in {data.root}, not verified"
        return Finding("data", "warn", said, "data.verify_checksums=true")
    said = f"data={data.name} is in {data.root}, verified as a run checks it"
    return Finding("data", "ok", said + " (python check_data.py counts its images)")
