"""The inputs `python -m bench adversary` throws at gen new and gen update, by kind,
each with the end it should reach (adversary_project.py: those for the emitted scripts).

Every case runs in a fresh folder of its own (its cell); {cell} in a command names it.
expect: `refuse` (exit 2, one `error:` line, nothing written), `accept` (exit 0, a
finished run), `late` (refused while training: its run directory may stay, recorded as
failed, as docs/emitted-project.md says a crash's does).
"""

import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

GIT = ["git", "-c", "user.name=bench", "-c", "user.email=bench@localhost"]


@dataclass
class Case:
    kind: str
    where: str  # gen, update, lightning or paddle (which project the cell holds)
    argv: list[str]  # gen's arguments, or a project's script and its arguments
    expect: str = "refuse"
    setup: Callable[[Path, Path], None] | None = (
        None  # (cell, scratch): prepare the cell
    )
    what: str = ""  # the input, where the command alone does not show it
    timeout: float = 120  # seconds, then it counts as `other`


def write(name: str, content: str | bytes) -> Callable[[Path, Path], None]:
    def setup(cell: Path, scratch: Path) -> None:
        path = cell / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)

    return setup


NEW = ["new", "--spec", "{cell}/spec.yaml", "--out", "{cell}/out"]
L = "model: lenet\n"
SPECS = [  # (kind, spec file content, expect)
    ("not a text file", b"\x00\x01binary\xff\xfe" * 50, "refuse"),
    ("not a text file", "model: lenet\n".encode("utf-16"), "refuse"),
    ("not a text file", b"model: l\xe9net\n", "refuse"),
    ("not a text file", L + "name: a\x07b\n", "refuse"),
    ("not a text file", L + "# padding\n" * 20000, "refuse"),
    ("not a text file", "model: " + "x" * 200_000 + "\n", "refuse"),
    ("empty", "", "refuse"),
    ("empty", "\n\n# only a comment\n", "refuse"),
    ("empty", "~\n", "refuse"),
    ("YAML syntax", L + "train:\n\tepochs: 3\n", "refuse"),
    ("YAML syntax", L + "model: resnet18\n", "refuse"),
    ("YAML syntax", L + "train:\n  epochs: 3\n  epochs: 4\n", "refuse"),
    ("YAML syntax", "a: &x [1, 2]\nmodel: lenet\nb: *x\n", "refuse"),
    ("YAML syntax", "model: " + "[" * 5000 + "]" * 5000 + "\n", "refuse"),
    ("YAML syntax", L + "train: {epochs: 3\n", "refuse"),
    ("YAML syntax", "- model: lenet\n", "refuse"),
    ("YAML syntax", "lenet\n", "refuse"),
    ("YAML syntax", L + "--- \nmodel: lenet\n", "refuse"),
    ("wrong type", "model: 3\n", "refuse"),
    ("wrong type", "model: [lenet]\n", "refuse"),
    ("wrong type", L + "backend: 1\n", "refuse"),
    ("wrong type", L + "features: hpo\n", "refuse"),
    ("wrong type", L + "train: 5\n", "refuse"),
    ("wrong type", L + "name: 123\n", "refuse"),
    ("wrong type", L + "train:\n  epochs: '3'\n", "refuse"),
    ("wrong type", L + "train:\n  epochs: 2.5\n", "refuse"),
    ("wrong type", L + "train:\n  loggers: csv\n", "refuse"),
    ("boolean for a number", L + "train:\n  epochs: true\n", "refuse"),
    ("boolean for a number", L + "train:\n  batch_size: false\n", "refuse"),
    ("boolean for a number", L + "train:\n  seed: yes\n", "refuse"),
    ("boolean for a number", L + "train:\n  devices: true\n", "refuse"),
    ("number out of range", L + "train:\n  epochs: 0\n", "refuse"),
    ("number out of range", L + "train:\n  epochs: -1\n", "refuse"),
    ("number out of range", L + "train:\n  epochs: 1000000000000\n", "refuse"),
    ("number out of range", L + "train:\n  epochs: .nan\n", "refuse"),
    ("number out of range", L + "train:\n  epochs: .inf\n", "refuse"),
    ("number out of range", L + "train:\n  batch_size: 0\n", "refuse"),
    ("number out of range", L + "train:\n  batch_size: 100000000\n", "refuse"),
    ("number out of range", L + "train:\n  seed: -1\n", "refuse"),
    ("number out of range", L + "train:\n  seed: 4294967296\n", "refuse"),
    ("number out of range", L + "train:\n  devices: 0\n", "refuse"),
    ("number out of range", L + "train:\n  devices: -1\n", "refuse"),
    ("unknown choice", L + "train:\n  precision: fp16\n", "refuse"),
    ("unknown choice", L + "train:\n  optimizer: adam\n", "refuse"),
    ("unknown choice", L + "train:\n  scheduler: linear\n", "refuse"),
    ("unknown choice", L + "train:\n  loggers: [wandb]\n", "refuse"),
    ("unknown choice", "model: resnt18\n", "refuse"),
    ("unknown choice", L + "data: imagenette\n", "refuse"),
    ("unknown choice", L + "backend: tensorflow\n", "refuse"),
    ("unknown choice", L + "features: [x]\n", "refuse"),
    ("unknown choice", L + "task: detection\n", "refuse"),
    ("unknown key", "modle: lenet\n", "refuse"),
    ("unknown key", L + "train:\n  epoch: 3\n", "refuse"),
    ("unknown key", L + "train:\n  lr: 0.1\n", "refuse"),
    ("unknown key", L + "1: x\n", "refuse"),
    ("unknown key", L + "null: x\n", "refuse"),
    ("name", L + "name: Lenet\n", "refuse"),
    ("name", L + "name: ../escape\n", "refuse"),
    ("name", L + "name: ''\n", "refuse"),
    ("name", L + "name: a b\n", "refuse"),
    ("name", L + "name: café\n", "refuse"),
    ("name", L + "name: a" + "b" * 300 + "\n", "refuse"),
    ("name shadows a package", L + "name: torch\n", "refuse"),
    ("name shadows a package", L + "name: json\n", "refuse"),
    ("name shadows a package", L + "name: train\n", "refuse"),
    ("name shadows a package", L + "name: yaml\n", "refuse"),
    ("name shadows a package", L + "name: pytorch-lightning\n", "refuse"),
    ("name shadows a package", L + "name: paddle\nbackend: paddle\n", "refuse"),
    ("name shadows a folder", L + "name: tests\n", "refuse"),
    ("name shadows a folder", L + "name: configs\n", "refuse"),
    ("name shadows a folder", L + "name: data\n", "refuse"),
    ("name shadows a folder", L + "name: runs\n", "refuse"),
    ("fine", "\ufeffmodel: lenet\r\ntrain: {}\r\nfeatures: []\r\n", "accept"),
    ("fine", L + "name: my-digits_2\nbackend: paddle\ntrain:\n  epochs: 1\n", "accept"),
]
M = ["--model", "lenet"]
OUTS = [  # (kind, gen new's arguments, setup, expect)
    ("--out", [*M, "--out", "{cell}/afile"], write("afile", "mine\n"), "refuse"),
    ("--out", [*M, "--out", "{cell}/afile/sub"], write("afile", "mine\n"), "refuse"),
    ("--out", [*M, "--out", "{cell}/out"], write("out/keep.txt", "mine\n"), "refuse"),
    ("--out", [*M, "--out", ""], write("keep.txt", "mine\n"), "refuse"),
    ("--out", [*M, "--out", "/proc/onefit-x"], None, "refuse"),
    ("--out", [*M, "--out", "/proc"], None, "refuse"),
    ("--out", [*M, "--out", "/proc/self"], None, "refuse"),
    ("--out", [*M, "--out", "/sys/onefit-x"], None, "refuse"),
    ("--out", [*M, "--out", "/dev/null"], None, "refuse"),
    ("--out", [*M, "--out", "/"], None, "refuse"),
    ("command line", [], None, "refuse"),  # no --model
    ("command line", ["--model", ""], None, "refuse"),
    ("command line", [*M, "--backend", "", "--out", "{cell}/out"], None, "refuse"),
    ("command line", [*M, "--with", "x", "--out", "{cell}/out"], None, "refuse"),
    ("command line", [*M, "--epochs", "3", "--out", "{cell}/out"], None, "refuse"),
    ("command line", ["--spec"], None, "refuse"),
    ("command line", ["--spec", "{cell}/nope.yaml"], None, "refuse"),
    ("command line", ["--spec", "{cell}"], None, "refuse"),
    ("command line", ["--spec", "/dev/zero"], None, "refuse"),
    ("command line", ["--spec", "/proc/self/status"], None, "refuse"),
    (
        "fine",
        [*M, "--data", "mnist", "--backend", "paddle", "--out", "{cell}/o"],
        None,
        "accept",
    ),
]


def rendered(link: str = "", target: str = "", kind: str = "") -> Callable:
    """A finished project in {cell}/out, with `link` made a symlink, a folder, a file
    or a pipe (kind) in it, for gen new --force."""

    def setup(cell: Path, scratch: Path) -> None:
        subprocess.run(["cp", "-a", scratch / "render" / "lightning", cell / "out"])
        (cell / "victim").mkdir()
        (cell / "victim" / "mine.txt").write_text("mine\n")
        if not link:
            return (cell / "out" / "notes.txt").write_text("mine\n")
        path = cell / "out" / link
        subprocess.run(["rm", "-rf", path], check=True)
        if kind == "symlink":
            path.symlink_to(target)
        elif kind == "folder":
            path.mkdir()
        elif kind == "pipe":
            os.mkfifo(path)
        else:
            path.write_text("mine\n")

    return setup


FORCE = [  # (what, setup, expect)
    (
        "train.py is a link out",
        rendered("train.py", "../victim/mine.txt", "symlink"),
        "refuse",
    ),
    ("configs is a link out", rendered("configs", "../victim", "symlink"), "refuse"),
    (
        "README.md is a dangling link",
        rendered("README.md", "../gone", "symlink"),
        "refuse",
    ),
    ("train.py is a folder", rendered("train.py", kind="folder"), "refuse"),
    ("configs is a file", rendered("configs", kind="file"), "refuse"),
    ("train.py is a pipe", rendered("train.py", kind="pipe"), "refuse"),
    ("a file of the user's beside gen's", rendered(), "accept"),
]


def answers(change: Callable[[str, Path], str | bytes | None]) -> Callable:
    """Replace the committed .copier-answers.yml with change(text, cell), then commit."""

    def setup(cell: Path, scratch: Path) -> None:
        path = cell / "project" / ".copier-answers.yml"
        new = change(path.read_text(), cell)
        path.unlink()
        if new == "<folder>":
            path.mkdir()
            (path / "x").write_text("x\n")
        elif isinstance(new, bytes):
            path.write_bytes(new)
        elif new is not None:
            path.write_text(new)
        subprocess.run([*GIT, "add", "-A"], cwd=path.parent, check=True)
        subprocess.run([*GIT, "commit", "-qm", "edit"], cwd=path.parent, check=True)

    return setup


def sub(old: str, new: str) -> Callable[[str, Path], str]:
    return lambda text, cell: "\n".join(
        new if line.startswith(old) else line for line in text.splitlines()
    )


ANSWERS = [  # (what, change, expect)
    ("deleted", lambda t, c: None, "refuse"),
    ("not YAML", lambda t, c: t + "\n: [\n", "refuse"),
    ("binary", lambda t, c: b"\x00\xff" * 100, "refuse"),
    ("not UTF-8", lambda t, c: t.encode() + b"x: \xe9\n", "refuse"),
    ("a list", lambda t, c: "- a\n- b\n", "refuse"),
    ("empty", lambda t, c: "", "refuse"),
    ("a folder", lambda t, c: "<folder>", "refuse"),
    ("no _src_path", sub("_src_path:", ""), "refuse"),
    ("_src_path: 5", sub("_src_path:", "_src_path: 5"), "refuse"),
    (
        "_src_path missing",
        sub("_src_path:", "_src_path: /nonexistent/onefit"),
        "refuse",
    ),
    ("_src_path not a repo top", sub("_src_path:", "_src_path: /proc"), "refuse"),
    ("no _commit", sub("_commit:", ""), "refuse"),
    ("_commit: 1.0", sub("_commit:", "_commit: 1.0"), "refuse"),
    ("_commit unknown", sub("_commit:", "_commit: 0123456789abcdef"), "refuse"),
    ("backend: tensorflow", sub("backend:", "backend: tensorflow"), "refuse"),
    ("epochs: -5", sub("epochs:", "epochs: -5"), "refuse"),
    ("batch_size: 0", sub("batch_size:", "batch_size: 0"), "refuse"),
    ("model: resnt18", sub("model:", "model: resnt18"), "refuse"),
    ("package_name: torch", sub("package_name:", "package_name: torch"), "refuse"),
    ("package_name: ../../x", sub("package_name:", "package_name: ../../x"), "refuse"),
]


def project_state(command: str) -> Callable:
    return lambda cell, scratch: subprocess.run(
        command, shell=True, cwd=cell, check=True
    )


UPDATES = [  # (what, project argument, setup, expect)
    (
        "uncommitted edit",
        "{cell}/project",
        project_state("echo x >> project/train.py"),
        "refuse",
    ),
    (
        "not a git repository",
        "{cell}/project",
        project_state("rm -rf project/.git"),
        "refuse",
    ),
    ("no such folder", "{cell}/nope", None, "refuse"),
    ("a file", "{cell}/project/train.py", None, "refuse"),
    ("/proc", "/proc", None, "refuse"),
    ("unchanged blueprints", "{cell}/project", None, "accept"),
]


def gen_cases() -> list[Case]:
    cases = [
        Case(f"gen new, spec: {kind}", "gen", NEW, expect, write("spec.yaml", text))
        for kind, text, expect in SPECS
    ]
    for case, (_, text, _) in zip(cases, SPECS, strict=True):
        case.what = "spec.yaml: " + repr(text)[:70]
    cases += [
        Case(f"gen new: {kind}", "gen", ["new", *args], expect, setup)
        for kind, args, setup, expect in OUTS
    ]
    force = ["new", *M, "--out", "{cell}/out", "--force"]
    cases += [
        Case("gen new --force", "gen", force, expect, setup, what)
        for what, setup, expect in FORCE
    ]
    cases += [
        Case(
            "gen update: .copier-answers.yml",
            "update",
            ["update", "{cell}/project"],
            expect,
            answers(change),
            what,
        )
        for what, change, expect in ANSWERS
    ]
    cases += [
        Case("gen update: project", "update", ["update", arg], expect, setup, what)
        for what, arg, setup, expect in UPDATES
    ]
    return cases
