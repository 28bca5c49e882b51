"""`gen` meeting what a user or the OS throws at it, by kind: spec files that cannot be
specs, values of the wrong type or range, names that shadow a module, targets it cannot
or must not write into, a full disk, a closed stdout. Each ends in one line that
docs/troubleshooting.md documents, exit 2, and nothing written. Run in-process
(onefit.cli.main), so a refusal takes milliseconds."""

import errno
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import copier
import pytest
from onefit.cli import main
from onefit.spec_input import MAX_BYTES

from tests.messages import assert_one_documented_line

ROOT_USER = os.geteuid() == 0  # file modes do not stop root: those tests need a user


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def gen(capsys, tmp_path, monkeypatch):
    """gen(*args) in `tmp_path`, in this process."""
    monkeypatch.chdir(tmp_path)

    def call(*args) -> Result:
        with pytest.raises(SystemExit) as exit:
            main([str(arg) for arg in args])
        out, err = capsys.readouterr()
        return Result(exit.value.code, out, err)

    return call


def refused(result: Result, *parts: str) -> str:
    assert result.code == 2, result
    message = assert_one_documented_line(result.err)
    for part in parts:
        assert part in message
    return message


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n"
    for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)
SPEC_FILES = {  # what the file holds -> what the one line says
    "binary": (bytes(range(256)) * 4, "is a binary file"),
    "utf-16": ("model: lenet\n".encode("utf-16"), "is a binary file"),
    "latin-1": (
        b"model: lenet\nname: caf\xe9\n",
        "not UTF-8 text (byte 0xe9 at offset",
    ),
    "empty": (b"", "is empty"),
    "comments only": (b"# model: lenet\n", "is empty"),
    "huge": (b"model: lenet\n" + b"#" * MAX_BYTES, "is over 100 KB"),
    "duplicate key": (b"model: lenet\nmodel: resnet18\n", "key 'model' appears twice"),
    "duplicate nested key": (
        b"model: lenet\ntrain:\n  epochs: 1\n  epochs: 2\n",
        "line 4: the key 'epochs' appears twice",
    ),
    "duplicate quoted key": (b'model: lenet\n"model": x\n', "'model' appears twice"),
    "alias bomb": (BOMB.encode(), "aliases (*name) are not allowed"),
    "merge alias": (b"b: &b {epochs: 1}\ntrain:\n  <<: *b\n", "aliases (*name)"),
    "control character": (b"model: lenet\x07\n", "a character YAML does not allow"),
    "tab indent": (b"model: lenet\ntrain:\n\tepochs: 3\n", "not valid YAML at line 3"),
    "unclosed": (b"model: [lenet\n", "is not valid YAML at line 2"),
    "python tag": (b"model: !!python/name:os.system\n", "is not valid YAML"),
    "unhashable key": (b"? [a, b]\n: c\n", "is not valid YAML"),
    "deep": (b"model: " + b"[" * 5000 + b"]" * 5000, "nests values too deeply"),
    "a list": (b"- model: lenet\n", "must hold a mapping of spec fields"),
    "a scalar": (b"lenet\n", "must hold a mapping of spec fields"),
}


@pytest.mark.parametrize("command", ["validate", "new"])
@pytest.mark.parametrize("kind", SPEC_FILES)
def test_a_file_that_cannot_be_a_spec_is_one_line(gen, tmp_path, command, kind):
    content, says = SPEC_FILES[kind]
    (tmp_path / "spec.yaml").write_bytes(content)
    args = (
        ["--spec", "spec.yaml", "--out", "out"] if command == "new" else ["spec.yaml"]
    )
    refused(gen(command, *args), "spec.yaml", says)
    assert files_under(tmp_path) == ["spec.yaml"]


def test_a_huge_spec_is_refused_before_it_is_read(gen, tmp_path):
    with (tmp_path / "spec.yaml").open("wb") as file:
        file.truncate(2**34)  # 16 GB, sparse: reading it would take minutes
    refused(gen("validate", "spec.yaml"), "is over 100 KB")


@pytest.mark.parametrize(
    "make, says",
    [
        (lambda p: p.mkdir(), "is a folder; give the spec file inside it"),
        (lambda p: os.mkfifo(p), "is not a regular file"),  # reading would wait forever
        (lambda p: p.symlink_to("/dev/zero"), "is not a regular file"),
        (lambda p: p.symlink_to("gone.yaml"), "no such spec file"),
        (lambda p: None, "no such spec file"),
    ],
    ids=["folder", "fifo", "device", "dangling link", "missing"],
)
def test_a_spec_path_that_is_not_a_file_is_one_line(gen, tmp_path, make, says):
    make(tmp_path / "spec.yaml")
    before = files_under(tmp_path)
    refused(gen("new", "--spec", "spec.yaml", "--out", "out"), says)
    assert files_under(tmp_path) == before


def test_an_unreadable_spec_is_one_line(gen, tmp_path, monkeypatch):
    spec = tmp_path / "spec.yaml"
    spec.write_text("model: lenet\n")
    spec.chmod(0)
    if ROOT_USER:  # root reads it anyway: the OS's answer to anyone else
        opened = Path.open

        def denied(path, *args, **kwargs):
            if path.name == "spec.yaml":
                raise PermissionError(13, "Permission denied", str(path))
            return opened(path, *args, **kwargs)

        monkeypatch.setattr(Path, "open", denied)
    refused(gen("validate", "spec.yaml"), "cannot read spec.yaml: Permission denied")


NUMBERS = {"epochs": 100_000, "batch_size": 65_536, "seed": 2**32 - 1}
WRONG_TYPES = ["true", "false", "2.5", "2.0", "'3'", "[]", "{}", ".inf", ".nan"]


@pytest.mark.parametrize("value", WRONG_TYPES)
@pytest.mark.parametrize("field", NUMBERS)
def test_a_number_field_takes_only_whole_numbers(gen, tmp_path, field, value):
    """YAML's true is not 1, nor 2.0 nor "3" a count: strict, never converted."""
    (tmp_path / "s.yaml").write_text(f"model: lenet\ntrain:\n  {field}: {value}\n")
    refused(
        gen("validate", "s.yaml"), f"train.{field}: Input should be a valid integer"
    )


@pytest.mark.parametrize("field, top", NUMBERS.items())
def test_a_number_field_takes_only_its_range(gen, tmp_path, field, top):
    spec = tmp_path / "s.yaml"
    for good in (1, top):
        spec.write_text(f"model: lenet\ntrain:\n  {field}: {good}\n")
        assert gen("validate", "s.yaml").code == 0
    lowest = 0 if field == "seed" else 1
    for bad in (lowest - 1, -(10**30), top + 1, 10**30):
        spec.write_text(f"model: lenet\ntrain:\n  {field}: {bad}\n")
        refused(gen("validate", "s.yaml"), f"train.{field}: Input should be")


@pytest.mark.parametrize(
    "value", ["-1", "0", "1025", "true", "2.0", "'2'", "all", "[0, 1]", "null"]
)
def test_devices_are_auto_or_a_count(gen, tmp_path, value):
    spec = tmp_path / "s.yaml"
    spec.write_text(f"model: lenet\ntrain:\n  devices: {value}\n")
    refused(gen("validate", "s.yaml"), "train.devices: use auto or a count from 1 to")
    for good in ("auto", "1", "8"):
        spec.write_text(f"model: lenet\ntrain:\n  devices: {good}\n")
        assert gen("validate", "s.yaml").code == 0


@pytest.mark.parametrize(
    "body, says",
    [
        ("train: 3", "train: must hold fields (see: gen schema), not 3"),
        ("train: null", "train: must hold fields (see: gen schema), not null"),
        ("train: [1]", "train: must hold fields"),
        ("model: 3", "model: Input should be a valid string, not 3"),
        ("model: [lenet]", "model: Input should be a valid string, not ['lenet']"),
        ("name: 2024-01-01", "name: Input should be a valid string"),
        ("features: hpo", "features: Input should be a valid list, not 'hpo'"),
        ("backend: tensorflow", "backend: Input should be 'lightning' or 'paddle'"),
        ("train: {precision: 16}", "train.precision: Input should be 'auto'"),
        ("train: {loggers: csv}", "train.loggers: Input should be a valid list"),
        ("train: {loggers: [wandb]}", "train.loggers.0: Input should be 'tensorboard'"),
        ("train: {optimizer: adam}", "train.optimizer: Input should be 'sgd' or"),
        ("1: x", "1: a key must be a field name"),
        ("null: x", "None: a key must be a field name"),
        ("epochs: 3", "epochs: unknown field (see: gen schema)"),
        ("trian: {epochs: 3}", "trian: unknown field; did you mean train?"),
        ("train: {epoch: 3}", "train.epoch: unknown field; did you mean epochs?"),
    ],
)
def test_a_value_of_the_wrong_kind_names_its_field(gen, tmp_path, body, says):
    model = "" if body.startswith("model:") else "model: lenet\n"
    (tmp_path / "s.yaml").write_text(f"{model}{body}\n")
    refused(gen("new", "--spec", "s.yaml", "--out", "out"), says)
    assert files_under(tmp_path) == ["s.yaml"]


def test_every_mistake_of_a_spec_is_on_the_one_line(gen, tmp_path):
    (tmp_path / "s.yaml").write_text("model: lenet\ntrain: {epochs: 0, seed: -1}\n")
    message = refused(gen("validate", "s.yaml"))
    assert "train.epochs:" in message and "train.seed:" in message


@pytest.mark.parametrize(
    "name",
    ["packaging", "google", "yaml", "numpy", "onefit", "hypothesis", "json", "train"],
)
def test_a_name_that_shadows_an_importable_module_is_refused(gen, name):
    """Installed here (packaging, google, ...), standard (json) or the project's own."""
    says = f"name: '{name}' would shadow the Python module {name}; pick another, e.g."
    refused(gen("new", "--model", "lenet", "--name", name), says)


@pytest.mark.parametrize(
    "args, says",
    [
        (["new", "--model"], "argument --model: expected one argument; see: gen new"),
        (["new", "--modle", "lenet"], "unrecognized arguments: --modle lenet"),
        (["build"], "invalid choice: 'build'"),
        (["validate"], "the following arguments are required: spec"),
        (["list", "nothing"], "argument what: invalid choice: 'nothing'"),
        (["new", "--model", "a\nb\u2028"], "model: unknown model 'a\\nb\\u2028'"),
    ],
)
def test_a_command_line_mistake_is_one_line(gen, tmp_path, args, says):
    refused(gen(*args), says)
    assert files_under(tmp_path) == []


# --out: what is refused before rendering, and what the OS refuses while writing.


def test_an_out_that_cannot_be_a_folder_is_refused(gen, tmp_path):
    (tmp_path / "file").write_text("mine")
    refused(
        gen("new", "--model", "lenet", "--out", "file"), "is a file; choose another"
    )
    says = "file is a file, so"
    refused(gen("new", "--model", "lenet", "--out", "file/sub/p"), says)
    refused(gen("new", "--model", "lenet", "--out", "/", "--force"), "/ cannot hold")
    assert files_under(tmp_path) == ["file"]


def read_only(folder: Path, monkeypatch) -> None:
    folder.chmod(0o555)
    if ROOT_USER:  # root writes there anyway: the OS's answer to anyone else
        access = os.access

        def denied(path, mode, **kwargs):
            if Path(path) == folder and mode & os.W_OK:
                return False
            return access(path, mode, **kwargs)

        monkeypatch.setattr(os, "access", denied)


def test_a_read_only_folder_is_refused(gen, tmp_path, monkeypatch):
    (tmp_path / "ro").mkdir()
    read_only(tmp_path / "ro", monkeypatch)
    refused(gen("new", "--model", "lenet", "--out", "ro/p"), "ro is not writable")
    assert files_under(tmp_path) == ["ro"]


def test_an_out_that_cannot_be_listed_is_refused(gen, tmp_path, monkeypatch):
    (tmp_path / "p").mkdir(mode=0o300)  # writable, not readable
    listing = Path.iterdir

    def denied(path):
        if path.name == "p":  # as the OS answers anyone but root
            raise PermissionError(13, "Permission denied", str(path))
        return listing(path)

    monkeypatch.setattr(Path, "iterdir", denied)
    says = "cannot look into"
    refused(gen("new", "--model", "lenet", "--out", "p", "--force"), says)


def test_a_read_only_folder_in_the_target_is_refused(gen, tmp_path, monkeypatch):
    configs = tmp_path / "p" / "configs"
    configs.mkdir(parents=True)
    read_only(configs, monkeypatch)
    says = "configs is not writable; fix its permissions or --out"
    refused(gen("new", "--model", "lenet", "--out", "p", "--force"), says)
    assert files_under(tmp_path) == ["p", "p/configs"]


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EACCES, errno.EROFS])
def test_the_os_refusing_the_move_leaves_nothing(gen, tmp_path, monkeypatch, code):
    """A full disk or a read-only folder met while moving the render into place: one
    line, and no project, scratch folder or parent folder that gen made is left."""

    def refuse(*args):
        raise OSError(code, os.strerror(code), str(args[-1]))

    monkeypatch.setattr(Path, "rename", refuse)
    says = f"could not write {tmp_path}/a/b/p: {os.strerror(code)}"
    refused(gen("new", "--model", "lenet", "--out", "a/b/p"), says)
    assert files_under(tmp_path) == []


def test_the_os_refusing_a_forced_write_leaves_no_scratch(gen, tmp_path, monkeypatch):
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "notes.txt").write_text("mine")

    def refuse(source, target):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))

    monkeypatch.setattr(os, "replace", refuse)
    refused(gen("new", "--model", "lenet", "--out", "p", "--force"), "No space left")
    assert files_under(tmp_path) == ["p", "p/notes.txt"]


def test_a_disk_that_fills_while_copier_renders_leaves_nothing(
    gen, tmp_path, monkeypatch
):
    def half_then_full(source, out, **kwargs):
        Path(out).mkdir(parents=True)
        (Path(out) / "train.py").write_text("half")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(copier, "run_copy", half_then_full)
    refused(gen("new", "--model", "lenet"), "No space left on device")
    assert files_under(tmp_path) == []


def test_ctrl_c_while_rendering_leaves_nothing(gen, tmp_path, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(copier, "run_copy", interrupted)
    result = gen("new", "--model", "lenet")
    assert (result.code, result.err) == (130, "error: interrupted\n")
    assert files_under(tmp_path) == []


@pytest.fixture
def small_disk(tmp_path):
    """A 100 KB tmpfs where this machine lets us mount one (root, not in every
    container); a project needs more."""
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=100k", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    yield mount
    subprocess.run(["umount", str(mount)], check=False)


def test_a_really_full_disk_leaves_nothing(gen, small_disk):
    refused(gen("new", "--model", "lenet", "--out", small_disk / "p"), "No space left")
    assert files_under(small_disk) == []


# --force: never through a link, never onto the wrong kind of thing.


@pytest.fixture
def outside(tmp_path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "README.md").write_text("not gen's to write\n")
    return folder


@pytest.mark.parametrize(
    "make, says",
    [
        (lambda p, o: (p / "README.md").symlink_to(o / "README.md"), "README.md is a"),
        (lambda p, o: (p / "configs").symlink_to(o), "configs is a symbolic link"),
        (lambda p, o: (p / "tests").symlink_to("../outside"), "tests is a symbolic"),
        (
            lambda p, o: ((p / "configs").mkdir(), (p / "configs/model").symlink_to(o)),
            "configs/model is a symbolic link",
        ),
    ],
    ids=["file link", "folder link", "relative folder link", "nested folder link"],
)
def test_force_never_writes_through_a_link(gen, tmp_path, outside, make, says):
    project = tmp_path / "p"
    project.mkdir()
    make(project, outside)
    before = files_under(tmp_path)
    refused(gen("new", "--model", "lenet", "--out", "p", "--force"), says)
    assert (outside / "README.md").read_text() == "not gen's to write\n"
    assert files_under(tmp_path) == before  # nothing written, no scratch left


@pytest.mark.parametrize(
    "make, says",
    [
        (lambda p: (p / "README.md").mkdir(), "README.md is a folder where gen writes"),
        (lambda p: os.mkfifo(p / "train.py"), "train.py is not a plain file where"),
        (lambda p: (p / "configs").write_text("x"), "configs is a file where gen"),
    ],
    ids=["folder for a file", "fifo for a file", "file for a folder"],
)
def test_force_never_replaces_the_wrong_kind(gen, tmp_path, make, says):
    project = tmp_path / "p"
    project.mkdir()
    make(project)
    before = files_under(tmp_path)
    refused(gen("new", "--model", "lenet", "--out", "p", "--force"), says)
    assert files_under(tmp_path) == before


def test_force_replaces_files_and_keeps_the_user_s(gen, tmp_path):
    project = tmp_path / "p"
    project.mkdir()
    (project / "README.md").write_text("old")
    (project / "notes.txt").write_text("mine")
    assert gen("new", "--model", "lenet", "--out", "p", "--force").code == 0
    assert (project / "README.md").read_text() != "old"
    assert (project / "notes.txt").read_text() == "mine"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


# stdout closed by its reader: no traceback, no noise.


@pytest.mark.parametrize("args", [["list"], ["schema"], ["list", "models"]])
def test_a_closed_stdout_is_no_traceback(args):
    read, write = os.pipe()
    os.close(read)  # the reader is gone before gen writes: `gen list | head -0`
    with os.fdopen(write, "w") as stdout:
        done = subprocess.run(
            [sys.executable, "-m", "onefit", *args],
            stdout=stdout,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert (done.returncode, done.stderr) == (1, "")
