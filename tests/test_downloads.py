"""Downloads that survive the real world, over real HTTP on 127.0.0.1: a cut connection is
resumed, a corrupt or missing file sends the download to the next mirror, a silent server
times out into one message naming every URL tried and the files to place by hand, a full
disk is named with nothing kept, two processes download once, archives that climb out of
their folder are refused, only http(s) URLs are fetched, and a CIFAR pickle that would run
code is refused without running it. The component directly, then train.py of both twins.
"""

import errno
import hashlib
import io
import os
import pickle
import pty
import subprocess
import sys
import tarfile
import time
import zipfile
from pathlib import Path

import pytest
from omegaconf import OmegaConf

from tests.conftest import run
from tests.formats import add, cifar_archive
from tests.http_server import Faults, closed_port_url, serve, serve_faulty
from tests.test_emitted_trains import BACKENDS, DEBUG, only_run

PACKAGE = "lightning-lenet-mnist"
CONTENT = os.urandom(200_000)
SHA = hashlib.sha256(CONTENT).hexdigest()


@pytest.fixture(autouse=True)
def never_the_official_hosts(monkeypatch):
    """Only the local servers: a networked machine must not reach the real hosts."""
    monkeypatch.setenv("DATA_MIRRORS_ONLY", "1")
    monkeypatch.delenv("DATA_MIRRORS", raising=False)


@pytest.fixture
def component(golden_package):
    download = golden_package(PACKAGE, "data.download")
    return download, golden_package(PACKAGE, "errors").UserError


@pytest.fixture
def files(tmp_path) -> Path:
    folder = tmp_path / "served"
    folder.mkdir()
    (folder / "blob.bin").write_bytes(CONTENT)
    return folder


def fetch(download, bases, target: Path, checksum=SHA, timeout_s=5.0) -> None:
    urls = [base + "blob.bin" for base in bases]
    download.ensure_files(target, {"blob.bin": (checksum, urls)}, timeout_s)


def test_a_cut_connection_is_resumed_with_a_range_request(component, files, tmp_path):
    download, _ = component
    faults = Faults(cut_after=50_000)
    with serve_faulty(files, faults) as url:
        fetch(download, [url], tmp_path / "data")
    assert (tmp_path / "data" / "blob.bin").read_bytes() == CONTENT
    assert faults.requests == [("/blob.bin", None), ("/blob.bin", "bytes=50000-")]
    assert not list((tmp_path / "data").glob("*.part"))


def test_a_corrupt_byte_is_refused_and_the_next_mirror_is_tried(
    component, files, tmp_path, capfd
):
    download, _ = component
    bad, good = Faults(corrupt=True), Faults()
    with serve_faulty(files, bad) as bad_url, serve_faulty(files, good) as good_url:
        fetch(download, [bad_url, good_url], tmp_path / "data")
    assert (tmp_path / "data" / "blob.bin").read_bytes() == CONTENT
    assert len(bad.requests) == 1 and len(good.requests) == 1
    assert f"downloading {good_url}blob.bin" in capfd.readouterr().err


def test_a_404_on_the_first_mirror_falls_through_to_the_next(
    component, files, tmp_path
):
    download, _ = component
    missing, good = Faults(status=404), Faults()
    with serve_faulty(files, missing) as first, serve_faulty(files, good) as second:
        fetch(download, [first, second], tmp_path / "data")
    assert (tmp_path / "data" / "blob.bin").read_bytes() == CONTENT
    assert missing.requests and len(good.requests) == 1


def test_silence_and_refusal_end_in_one_message_naming_every_url(
    component, files, tmp_path
):
    download, UserError = component
    offline = closed_port_url()
    started = time.monotonic()
    with (
        serve_faulty(files, Faults(silent=True)) as silent,
        pytest.raises(UserError) as refused,
    ):
        fetch(download, [silent, offline], tmp_path / "data" / "raw", timeout_s=0.5)
    assert time.monotonic() - started < 5  # no retries of a server that never answered
    message = str(refused.value)
    assert "\n" not in message
    assert f"{silent}blob.bin (no answer within 0.5 s)" in message
    assert f"{offline}blob.bin (" in message and "refused" in message
    assert f"Put blob.bin in {tmp_path / 'data' / 'raw'}/ yourself" in message
    assert "data.mirrors=[URL] or DATA_MIRRORS=URL" in message
    assert not (tmp_path / "data").exists()  # the folders it made are gone again


@pytest.fixture
def small_disk(tmp_path, golden_package, monkeypatch):
    """A real 64 KiB disk (tmpfs); where mounting is not allowed, a folder whose writes
    fail with ENOSPC past 64 KiB and whose free space reads 64 KiB (injected)."""
    mount = tmp_path / "small"
    mount.mkdir()
    command = ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)]
    try:
        mounted = subprocess.run(command, capture_output=True).returncode == 0
    except OSError:  # no mount command
        mounted = False
    if mounted:
        yield mount
        subprocess.run(["umount", str(mount)], check=True)
        return
    fetch_module = golden_package(PACKAGE, "data.fetch")
    usage = fetch_module.shutil.disk_usage(mount)
    monkeypatch.setattr(
        fetch_module.shutil, "disk_usage", lambda _: usage._replace(free=65536)
    )
    monkeypatch.setattr(fetch_module, "open", FillingFile, raising=False)
    yield mount


class FillingFile:
    """open() on a disk that is full after 64 KiB."""

    def __init__(self, path, mode):
        self.file = open(path, mode)  # noqa: SIM115 (closed by __exit__)

    def __enter__(self):
        return self

    def __exit__(self, *error):
        self.file.close()

    def write(self, data):
        if self.file.tell() + len(data) > 65536:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return self.file.write(data)


@pytest.mark.parametrize("length_known", [True, False])
def test_a_full_disk_is_named_and_nothing_is_kept(
    component, files, small_disk, length_known
):
    """With a Content-Length the free space is checked first; without one the disk
    fills while writing (ENOSPC). Either way: one line, and not a byte left."""
    download, UserError = component
    with (
        serve_faulty(files, Faults(no_length=not length_known)) as url,
        pytest.raises(UserError, match=r"blob.bin needs .* MB free: free space there"),
    ):
        fetch(download, [url], small_disk / "data")
    assert not list(small_disk.iterdir())


def test_two_processes_download_once(component, files, tmp_path):
    faults = Faults(slow_s=0.01)  # about half a second per download
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from lenet_mnist.data.download import ensure_files;"
        "from pathlib import Path;"
        "ensure_files(Path(sys.argv[2]), {'blob.bin': (sys.argv[3], [sys.argv[4]])}, 5)"
    )
    project = Path(sys.modules["lenet_mnist"].__file__).parent.parent
    with serve_faulty(files, faults) as url:
        args = [str(project), str(tmp_path / "data"), SHA, url + "blob.bin"]
        both = [
            subprocess.Popen([sys.executable, "-c", script, *args]) for _ in range(2)
        ]
        assert [p.wait(timeout=60) for p in both] == [0, 0]
    assert faults.requests == [("/blob.bin", None)]
    assert (tmp_path / "data" / "blob.bin").read_bytes() == CONTENT
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == [
        ".blob.bin.verified",
        "blob.bin",
    ]


@pytest.mark.parametrize("terminal", [True, False])
def test_a_progress_bar_only_on_a_terminal(component, files, tmp_path, terminal):
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from lenet_mnist.data.download import ensure_files;"
        "from pathlib import Path;"
        "ensure_files(Path(sys.argv[2]), {'blob.bin': (None, [sys.argv[3]])}, 5)"
    )
    project = Path(sys.modules["lenet_mnist"].__file__).parent.parent
    reader, writer = pty.openpty() if terminal else os.pipe()
    with serve_faulty(files, Faults()) as url:
        args = [str(project), str(tmp_path / "data"), url + "blob.bin"]
        child = subprocess.Popen([sys.executable, "-c", script, *args], stderr=writer)
        os.close(writer)
        assert child.wait(timeout=60) == 0
    err = b""
    while chunk := read_or_none(reader):
        err += chunk
    os.close(reader)
    assert f"downloading {url}blob.bin".encode() in err
    assert (b"\r  blob.bin 100% 0.2 MB" in err) == terminal


def read_or_none(fd: int) -> bytes:
    try:
        return os.read(fd, 65536)
    except OSError:  # a pty whose other end closed
        return b""


def tar_gz(members: dict) -> bytes:
    """A tar.gz of {name: bytes, or ("symlink"|"hardlink", target)}."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, content in members.items():
            if isinstance(content, bytes):
                add(tar, name, content)
                continue
            info = tarfile.TarInfo(name)
            info.type = tarfile.SYMTYPE if content[0] == "symlink" else tarfile.LNKTYPE
            info.linkname = content[1]
            tar.addfile(info)
    return buffer.getvalue()


def zip_of(members: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as packed:
        for name, content in members.items():
            packed.writestr(name, content)
    return buffer.getvalue()


@pytest.fixture
def archive_module(golden_package):
    return golden_package(PACKAGE, "data.archive_url")


def test_an_archive_by_url_is_verified_unpacked_once_and_reused_offline(
    archive_module, component, tmp_path
):
    _, UserError = component
    served = tmp_path / "served"
    served.mkdir()
    pets = tar_gz({"pets/train/cat/1.png": b"a", "pets/val/dog/2.png": b"b"})
    (served / "pets.tar.gz").write_bytes(pets)
    sha = hashlib.sha256(pets).hexdigest()
    faults, root = Faults(), tmp_path / "data"
    with serve_faulty(served, faults) as url:
        with pytest.raises(UserError, match=r"corrupt: SHA256 .*, expected 0+\)"):
            archive_module.unpacked_archive(url + "pets.tar.gz", "0" * 64, [], root, 5)
        folder = archive_module.unpacked_archive(url + "pets.tar.gz", sha, [], root, 5)
    assert folder == root / "pets"  # the one top folder of the archive is the folder
    assert (folder / "train" / "cat" / "1.png").read_bytes() == b"a"
    again = archive_module.unpacked_archive(url + "pets.tar.gz", sha, [], root, 5)
    assert again == folder and len(faults.requests) == 2  # the second call: no network
    shapes = tmp_path / "shapes.zip"
    shapes.write_bytes(zip_of({"train/a/1.png": b"1", "test/a/2.png": b"2"}))
    local = archive_module.unpacked_archive(str(shapes), None, [], root, 5)
    assert sorted(p.name for p in local.iterdir()) == ["test", "train"]
    assert not [p for p in root.iterdir() if p.name.startswith(".unpack-")]


def test_a_folder_from_another_archive_or_version_is_refused_not_reused(
    archive_module, component, tmp_path
):
    """pets.zip after pets.tar.gz, or pets.tar.gz of another SHA256: the folder
    data/pets holds the first; it is never taken for the second, and the second is
    not even fetched."""
    _, UserError = component
    served, root = tmp_path / "served", tmp_path / "data"
    served.mkdir()
    pets = tar_gz({"pets/train/cat/1.png": b"a", "pets/val/dog/2.png": b"b"})
    (served / "pets.tar.gz").write_bytes(pets)
    (served / "pets.zip").write_bytes(zip_of({"pets/train/cow/1.png": b"c"}))
    sha = hashlib.sha256(pets).hexdigest()
    faults = Faults()
    with serve_faulty(served, faults) as url:
        folder = archive_module.unpacked_archive(url + "pets.tar.gz", sha, [], root, 5)
        with pytest.raises(UserError) as other:
            archive_module.unpacked_archive(url + "pets.zip", None, [], root, 5)
        with pytest.raises(UserError) as version:
            archive_module.unpacked_archive(url + "pets.tar.gz", "a" * 64, [], root, 5)
    assert str(other.value) == (
        f"{folder} holds pets.tar.gz unpacked, not pets.zip: delete it to unpack"
        f" data.url={url}pets.zip there, or give another data.root"
    )
    assert str(version.value).startswith(
        f"{folder} was unpacked from pets.tar.gz of SHA256 {sha}, not"
        f" data.sha256={'a' * 64}: correct data.sha256, or delete {folder} and"
    )
    assert [path for path, _ in faults.requests] == ["/pets.tar.gz"]  # once
    assert sorted(p.name for p in (folder / "train").iterdir()) == ["cat"]


def test_what_macos_adds_to_an_archive_is_left_out(archive_module, tmp_path):
    """Finder's zip: __MACOSX/ of resource forks and .DS_Store beside the content."""
    junk = {"__MACOSX/pets/0/._1.png": b"fork", ".DS_Store": b"finder"}
    one_folder = tmp_path / "pets.zip"
    one_folder.write_bytes(zip_of({"pets/0/1.png": b"a", "pets/1/2.png": b"b", **junk}))
    folder = archive_module.unpacked_archive(str(one_folder), None, [], tmp_path, 5)
    assert folder == tmp_path / "pets" and sorted(os.listdir(folder)) == ["0", "1"]
    classes = tmp_path / "flat.zip"  # class folders at the top, junk beside them
    classes.write_bytes(zip_of({"0/1.png": b"a", "1/2.png": b"b", **junk}))
    flat = archive_module.unpacked_archive(str(classes), None, [], tmp_path, 5)
    assert sorted(os.listdir(flat)) == ["0", "1"]


@pytest.mark.parametrize(
    "name, members, culprit",
    [
        ("climb.tar.gz", {"ok.txt": b"x", "../escaped.txt": b"x"}, "../escaped.txt"),
        ("abs.tar.gz", {"/tmp/escaped.txt": b"x"}, "/tmp/escaped.txt"),
        ("link.tar.gz", {"etc": ("symlink", "/etc"), "etc/x": b"x"}, "a link to /etc"),
        (
            "up.tar.gz",
            {"d/up": ("symlink", "../../.."), "ok": b"y"},
            "d/up (a link to ../..)",
        ),
        ("hard.tar.gz", {"h": ("hardlink", "../../outside")}, "a link to ../../"),
        ("climb.zip", {"../escaped.txt": b"x"}, "../escaped.txt"),
        (  # each link inside on its own, out through the chain: tarfile's own check
            "chain.tar.gz",
            {"d": ("symlink", "."), "e": ("symlink", "d/.."), "f": ("symlink", "e/..")}
            | {"f/escaped.txt": b"x"},
            "a link out of the folder",
        ),
    ],
)
def test_archives_that_climb_out_of_their_folder_are_refused(
    archive_module, component, tmp_path, name, members, culprit
):
    _, UserError = component
    served, root = tmp_path / "served", tmp_path / "deep" / "data"
    served.mkdir()
    packed = zip_of(members) if name.endswith(".zip") else tar_gz(members)
    (served / name).write_bytes(packed)
    with serve(served) as url, pytest.raises(UserError) as refused:
        archive_module.unpacked_archive(url + name, None, [], root, 5)
    assert "was refused: its member" in str(refused.value)
    assert culprit in str(refused.value) and "nothing was unpacked" in str(
        refused.value
    )
    assert not list(tmp_path.rglob("escaped.txt"))
    assert [p.name for p in root.iterdir()] == [name]  # the archive, and no folder


@pytest.mark.parametrize(
    "url, mirrors, said",
    [("file:///etc/x.tar", [], "only http:// and https:// URLs are downloaded"),
     ("ftp://host/x.tar", [], "only http:// and https:// URLs are downloaded"),
     ("http:///x.tar", [], "only http:// and https:// URLs are downloaded"),
     ("https://host/x.tar", ["http:///m/"], "http:///m/ is not a mirror"),
     ("https://host/x.tar", ["file:///srv/mirror/"], "file:///srv/mirror/ is not a"
      " mirror: give http:// or https:// base URLs")],
)  # fmt: skip
def test_only_http_and_https_urls_are_fetched(
    archive_module, component, tmp_path, url, mirrors, said
):
    _, UserError = component
    with pytest.raises(UserError, match=said):
        archive_module.unpacked_archive(url, None, mirrors, tmp_path / "data", 5)
    assert not (tmp_path / "data").exists()


def test_an_organisations_mirror_from_the_environment_is_tried_first(
    component, files, tmp_path, monkeypatch
):
    download, UserError = component
    monkeypatch.setenv("DATA_MIRRORS", "ftp://mirror.example/")
    with pytest.raises(UserError, match=r"DATA_MIRRORS=ftp://mirror.example/: ftp"):
        download.mirror_bases([], ["https://official.example/"])
    faults = Faults()
    with serve_faulty(files, faults) as org:
        monkeypatch.setenv("DATA_MIRRORS", org)
        bases = download.mirror_bases(["http://first.example"], ["https://official/"])
        assert bases == ["http://first.example/", org]  # DATA_MIRRORS_ONLY=1 here
        fetch(download, bases[1:], tmp_path / "data")
    assert len(faults.requests) == 1


class RunsCode:
    """A 'batch' whose unpickling would run a shell command."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


def test_a_cifar_pickle_that_would_run_code_is_refused(golden_package, tmp_path):
    registry = golden_package(PACKAGE, "data.registry")
    UserError = golden_package(PACKAGE, "errors").UserError
    info = registry.DATASETS["cifar10"]
    with tarfile.open(fileobj=io.BytesIO(cifar_archive())) as tar:
        tar.extractall(tmp_path, filter="data")
    folder, marker = tmp_path / "cifar-10-batches-py", tmp_path / "ran"
    assert info.source.load(info, str(tmp_path)).train_images.shape == (200, 3, 32, 32)
    bomb = {b"data": RunsCode(marker), b"labels": [0]}
    (folder / "data_batch_3").write_bytes(pickle.dumps(bomb, protocol=2))
    with pytest.raises(UserError) as refused:
        info.source.load(info, str(tmp_path))
    message = str(refused.value)
    assert message.startswith(f"{folder / 'data_batch_3'} was refused: it is a pickle")
    assert "imports posix.system" in message and "\n" not in message
    assert not marker.exists()  # the command never ran
    cfg = OmegaConf.create(
        {"name": "cifar10", "root": str(tmp_path), "url": None, "mirrors": []}
        | {"verify_checksums": True, "download_timeout": 5}
    )
    with pytest.raises(UserError, match=r"data_batch_1 is not the expected file \(MD5"):
        info.source.download(info, cfg)  # checked before every read: not official


def python2_batch() -> bytes:
    """A CIFAR batch as the official files hold it: pickled by Python 2's cPickle
    (protocol 2, str as BINSTRING) with numpy 1's module names."""
    return (
        b"\x80\x02}q\x00(U\x04dataq\x01cnumpy.core.multiarray\n_reconstruct\nq\x02"
        b"cnumpy\nndarray\nq\x03K\x00\x85q\x04U\x01b\x87q\x05Rq\x06(K\x01K\x02K\x03"
        b"\x86q\x07cnumpy\ndtype\nq\x08U\x02u1K\x00K\x01\x87Rq\t(K\x03U\x01|NNNJ\xff"
        b"\xff\xff\xffJ\xff\xff\xff\xffK\x00tb\x89U\x06\x00\x01\x02\x03\x04\x05tbU\x06"
        b"labelsq\n]q\x0b(K\x01K\x02eu."
    )


def test_plain_pickles_of_every_protocol_and_numpy_load(golden_package, tmp_path):
    import numpy as np

    plain_pickle = golden_package(PACKAGE, "data.plain_pickle")
    images = np.arange(6, dtype=np.uint8).reshape(2, 3)
    batches = {"python2": python2_batch()}
    for protocol in (2, 4, 5):
        batches[f"protocol{protocol}"] = pickle.dumps(
            {b"data": images, b"labels": [1, 2]}, protocol=protocol
        )
    for name, content in batches.items():
        (tmp_path / name).write_bytes(content)
        batch = plain_pickle.load_plain_pickle(tmp_path / name)
        assert np.array_equal(batch[b"data"], images), name
        assert batch[b"labels"] == [1, 2], name


def test_an_array_of_python_objects_is_refused(golden_package, tmp_path):
    import numpy as np

    plain_pickle = golden_package(PACKAGE, "data.plain_pickle")
    (tmp_path / "objects").write_bytes(pickle.dumps(np.array([{}, []], dtype=object)))
    with pytest.raises(pickle.UnpicklingError, match="an array of Python objects"):
        plain_pickle.load_plain_pickle(tmp_path / "objects")


@pytest.mark.parametrize("backend", BACKENDS)
def test_train_py_downloads_through_faults_from_mirrors_and_trains(
    golden_copy, tmp_path, backend
):
    """The first mirror 404s, the organisation's (DATA_MIRRORS) cuts the connection
    mid-file: the download resumes, the run trains, and nothing partial is left."""
    from tests.formats import mnist_files

    served = tmp_path / "served"
    served.mkdir()
    for name, content in mnist_files(300, 100).items():
        (served / name).write_bytes(content)
    project = golden_copy(f"{backend}-lenet-mnist")
    cut, missing = Faults(cut_after=5000), Faults(status=404)
    with serve_faulty(served, cut) as org, serve_faulty(served, missing) as first:
        result = run(
            ["train.py", f"data.mirrors=[{first}]", "data.verify_checksums=false",
             *DEBUG],
            project,
            env={"DATA_MIRRORS": org},
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    ranges = [r for path, r in cut.requests if path == "/train-images-idx3-ubyte.gz"]
    assert ranges == [None, "bytes=5000-"]
    assert len(missing.requests) == 4  # each file asked for there first
    raw = project / "data" / "MNIST" / "raw"
    assert sorted(
        p.name for p in raw.iterdir() if not p.name.startswith(".")
    ) == sorted(mnist_files(3, 1))
    assert only_run(project).is_dir()


@pytest.mark.parametrize("backend", BACKENDS)
def test_train_py_offline_exits_2_naming_urls_and_files_and_leaves_nothing(
    golden_copy, backend
):
    project = golden_copy(f"{backend}-lenet-mnist")
    offline = closed_port_url()
    result = run(["train.py", f"data.mirrors=[{offline}]", *DEBUG], project)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(
        f"error: could not download train-images-idx3-ubyte.gz: tried {offline}"
    )
    assert "Put train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz," in last
    assert not (project / "data").exists() and not (project / "runs").exists()


@pytest.mark.parametrize("backend", BACKENDS)
def test_train_py_refuses_a_planted_cifar_pickle(golden_copy, backend):
    project = golden_copy(f"{backend}-resnet18-cifar10")
    with tarfile.open(fileobj=io.BytesIO(cifar_archive())) as tar:
        tar.extractall(project / "data", filter="data")
    marker = project / "ran"
    batch = project / "data" / "cifar-10-batches-py" / "test_batch"
    batch.write_bytes(pickle.dumps({b"data": RunsCode(marker)}))
    # with data.verify_checksums=true its MD5 refuses it first (tested above)
    result = run(["train.py", "data.verify_checksums=false", *DEBUG], project)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "test_batch was refused: it is a pickle that imports posix.system" in (
        result.stderr.strip().splitlines()[-1]
    )
    assert not marker.exists() and not (project / "runs").exists()


def test_train_py_checks_the_download_keys_before_anything_runs(golden_copy):
    project = golden_copy("paddle-lenet-mnist")  # the same shared code in both twins
    result = run(["train.py", "data.download_timeout=0"], project)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "error: data.download_timeout=0.0 is not allowed: must be above 0 and finite"
    )
    result = run(["train.py", "data.mirrors=[ftp://mirror.example/]"], project)
    assert result.returncode == 2 and result.stderr.strip().endswith(
        "data.mirrors=[ftp://mirror.example/]: ftp://mirror.example/ is not a mirror:"
        " give http:// or https:// base URLs of servers holding the files, e.g."
        " data.mirrors=[https://host/data/]"
    )
    assert not (project / "data").exists() and not (project / "runs").exists()
