"""The user's edits to an emitted project: found before `gen update`, checked after it.

Copier removes a file that the newer blueprints move or delete even when the user had
edited it, and says nothing (copier 9.19.1; docs/updating.md). So `gen update` first
renders the blueprints the project was made from, with its answers, to learn which files
the user changed; afterwards it names each one that is gone, or that now holds only the
blueprints' text, so that no edit is lost without a word.
"""

import subprocess
import tempfile
from pathlib import Path
from typing import Any

ANSWERS = ".copier-answers.yml"


def render_at(answers: dict[str, Any], out: Path) -> Path:
    """The project as its recorded blueprints (`_src_path` at `_commit`) render it from
    its answers: nobody's edits."""
    import copier

    data = {key: value for key, value in answers.items() if not key.startswith("_")}
    copier.run_copy(
        answers["_src_path"],
        out,
        data=data,
        vcs_ref=answers["_commit"],
        defaults=True,
        quiet=True,
        unsafe=False,
    )
    return out


def edited_files(project: Path, pristine: Path) -> dict[str, bytes]:
    """The user's text of each rendered file they changed. A file they deleted is not
    here: copier leaves it deleted."""
    edits = {}
    for path in sorted(pristine.rglob("*")):
        name = path.relative_to(pristine).as_posix()
        mine = project / name
        if name == ANSWERS or not (path.is_file() and mine.is_file()):
            continue
        if mine.read_bytes() != path.read_bytes():
            edits[name] = mine.read_bytes()
    return edits


def dropped_edits(
    project: Path, edits: dict[str, bytes], old: Path, new: Path
) -> list[str]:
    """The edited files the update deleted, or left with the blueprints' text only."""
    return [
        name
        for name, mine in edits.items()
        if not kept(project / name, mine, old / name, new / name)
    ]


def kept(now: Path, mine: bytes, base: Path, theirs: Path) -> bool:
    if not now.is_file():
        return False  # moved or deleted by the blueprints
    if not theirs.is_file() or now.read_bytes() != theirs.read_bytes():
        return True  # the user's text, or both merged (markers where they clash)
    return merged(theirs, base, mine) == now.read_bytes()  # theirs already holds it


def merged(theirs: Path, base: Path, mine: bytes) -> bytes:
    """The blueprints' new text with the user's edit carried over, as git merges it."""
    with tempfile.NamedTemporaryFile() as file:
        file.write(mine)
        file.flush()
        done = subprocess.run(
            ["git", "merge-file", "-p", "--quiet", str(theirs), str(base), file.name],
            capture_output=True,
        )
    return done.stdout
