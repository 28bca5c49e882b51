"""The canonical specs and how their goldens are rendered."""

from pathlib import Path

from generator.answers import answers_for
from generator.render import render
from generator.source import Source
from generator.spec_input import load_spec

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "golden"
# A fixed template source, so goldens do not change with every commit of this repository.
GOLDEN_SOURCE = Source("<onefit git repository>", "<release tag>", dirty=False)


def golden_names() -> list[str]:
    return sorted(p.stem for p in (GOLDEN / "specs").glob("*.yaml"))


def render_golden(name: str, out: Path) -> None:
    spec = load_spec(GOLDEN / "specs" / f"{name}.yaml", {})
    render(answers_for(spec), out, GOLDEN_SOURCE, overwrite=False)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative path (caches excluded)."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
        and "__pycache__" not in p.parts
        and ".pytest_cache" not in p.parts
    }
