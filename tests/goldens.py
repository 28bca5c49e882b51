"""The canonical specs, how their goldens are rendered, and which files a golden holds.

A golden holds the whole project for one spec per backend and task (FULL) and, for every other
spec, only what the spec changes: for each file that depends on the spec (rendered from
a `.jinja` template, or present only under a condition in their name), the lines that
differ from FULL's same file, as `<path>.diff` (no line numbers, one line of context, so
that a change elsewhere in the template does not touch it), or the whole file where FULL
has none (a feature's files: copier.yml's _exclude). Everything else is the same bytes as
in FULL, which pins them. Tests that run a project render it afresh
(`rendered`), which test_golden proves equal to the goldens.
"""

import difflib
import shutil
from pathlib import Path

import jinja2
from onefit.answers import answers_for
from onefit.render import render
from onefit.source import BLUEPRINTS, Source
from onefit.spec_input import load_spec

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "golden"
FULL = {  # "<backend>" for classification, "<backend>-<task>" for the other tasks
    "lightning": "lightning-lenet-digits",
    "paddle": "paddle-lenet-digits",
    "lightning-segmentation": "lightning-unet-digit-canvas",
    "paddle-segmentation": "paddle-unet-digit-canvas",
    "lightning-detection": "lightning-yolov5n-digit-canvas",
    "lightning-instance_segmentation": "lightning-maskrcnn-digit-canvas",
    "paddle-detection": "paddle-yolov5n-digit-canvas",
}
# A fixed template source, so goldens do not change with every commit of this repository.
GOLDEN_SOURCE = Source("<onefit git repository>", "<release tag>", dirty=False)


def golden_names() -> list[str]:
    return sorted(p.stem for p in (GOLDEN / "specs").glob("*.yaml"))


def answers_of(name: str) -> dict:
    return answers_for(load_spec(GOLDEN / "specs" / f"{name}.yaml", {}))


def render_golden(name: str, out: Path) -> None:
    render(answers_of(name), out, GOLDEN_SOURCE, overwrite=False)


def spec_dependent(name: str) -> set[str]:
    """The files of `name`'s project that its spec shapes, by their rendered path."""
    answers = answers_of(name)
    context = {**answers, "_copier_conf": {"answers_file": ".copier-answers.yml"}}
    tree = BLUEPRINTS / answers["backend"]
    found = set()
    for source in tree.rglob("*"):
        relative = str(source.relative_to(tree))
        if source.is_file() and (relative.endswith(".jinja") or "{%" in relative):
            path = jinja2.Template(relative.removesuffix(".jinja")).render(context)
            if path and not path.endswith("/") and "//" not in path:
                found.add(path)
    return found


def expected_files(
    name: str, rendered: dict[str, bytes], full: dict[str, bytes]
) -> dict[str, bytes]:
    """What golden/<name>/ holds, given its whole project and the FULL one of its
    backend and task."""
    if name in FULL.values():
        return rendered
    package, full_package = answers_of(name)["package_name"], package_of(full)
    stored = {}
    dependent = spec_dependent(name)
    for path in sorted(rendered):
        head, _, rest = path.partition("/")
        twin = f"{full_package}/{rest}" if head == package else path
        if path not in dependent and twin in full:
            continue  # the same bytes as FULL's, which pins them
        if twin not in full:  # a feature's files (copier.yml's _exclude), or the spec's
            stored[path] = rendered[path]
        elif full[twin] != rendered[path]:
            header = f"# {name}'s {path} against {full_name(name)}'s {twin}\n"
            stored[f"{path}.diff"] = (
                header + changes(full[twin], rendered[path])
            ).encode()
    return stored


def full_name(name: str) -> str:
    answers = answers_of(name)
    task = "" if answers["task"] == "classification" else f"-{answers['task']}"
    return FULL[answers["backend"] + task]


def package_of(project: dict[str, bytes]) -> str:
    return next(path.split("/")[0] for path in project if "/config/" in path)


def changes(old: bytes, new: bytes) -> str:
    """The changed lines, with one line of context and no line numbers."""
    lines = difflib.unified_diff(
        old.decode().splitlines(), new.decode().splitlines(), n=1, lineterm=""
    )
    kept = [line if not line.startswith("@@") else "@@" for line in lines]
    return "\n".join(kept[2:]) + "\n"  # without the ---/+++ file names


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative path (caches excluded)."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
        and "__pycache__" not in p.parts
        and ".pytest_cache" not in p.parts
    }


class Rendered:
    """Each spec's whole project, rendered once per test session; never run in place."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.done = folder, set()

    def __call__(self, name: str) -> Path:
        out = self.folder / name
        if name not in self.done:
            shutil.rmtree(out, ignore_errors=True)
            render_golden(name, out)
            self.done.add(name)
        return out
