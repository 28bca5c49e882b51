"""Render the blueprints for a validated spec: all or nothing, only inside the target.

Copier writes into a scratch folder beside the target; only a complete render is moved
into place, so a failure never leaves half a project. With --force, each file of ours
replaces the one in the target by a rename (never by writing into it), after checking
that no path we write goes through a symbolic link, where a write would land outside the
target: such a link is refused, not followed and not replaced (docs/spec.md).
"""

import contextlib
import errno
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from .errors import GenError
from .source import BLUEPRINTS, Source


def check_target(out: Path, overwrite: bool) -> None:
    """Refuse, before anything is written, a target that cannot take a project."""
    if out == out.parent:
        raise GenError(f"{out} cannot hold a project; choose another --out")
    if out.exists() and not out.is_dir():
        raise GenError(f"{out} is a file; choose another --out")
    try:
        filled = out.is_dir() and any(out.iterdir())
    except OSError as error:
        raise GenError(
            f"cannot look into {out}: {error.strerror}; choose another --out"
        ) from None
    if filled and not overwrite:
        raise GenError(
            f"{out} is not empty; choose another --out, or add --force to overwrite"
        )
    # The scratch folder goes beside `out`, in its parent or the nearest that exists.
    base = next(p for p in out.parents if p.exists() or p == p.parent)
    if not base.is_dir():
        raise GenError(
            f"{base} is a file, so {out} cannot be made; choose another --out"
        )
    if not os.access(base, os.W_OK | os.X_OK):
        raise GenError(f"{base} is not writable; choose another --out")


def render(answers: dict[str, Any], out: Path, source: Source, overwrite: bool) -> None:
    import copier  # 0.6 s to import: only once the spec is known to be good

    check_target(out, overwrite)
    made = [p for p in out.parents if not p.exists()]  # deepest first
    data = {**answers, "onefit_src": source.url, "onefit_ref": source.ref}
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(
            dir=out.parent, prefix=f".{out.name}.", ignore_cleanup_errors=True
        ) as scratch:
            rendered = Path(scratch) / out.name
            copier.run_copy(
                str(BLUEPRINTS),
                rendered,
                data=data,
                defaults=True,
                quiet=True,
                unsafe=False,
            )
            move_into(rendered, out)
    except OSError as error:  # a full disk, a folder made read-only meanwhile
        for folder in made:
            with contextlib.suppress(OSError):
                folder.rmdir()
        where = f" ({error.filename})" if error.filename else ""
        raise GenError(
            f"could not write {out}: {error.strerror or error}{where}; free some "
            "space or fix the permissions, then run gen new again"
        ) from None


def move_into(rendered: Path, out: Path) -> None:
    """The rendered tree into `out`: one rename if `out` is new, else file by file."""
    if out.is_dir() and not any(out.iterdir()):
        with contextlib.suppress(OSError):  # a mount point stays: filled file by file
            out.rmdir()
    if not out.exists():
        rendered.rename(out)
        return
    paths = sorted(rendered.rglob("*"))
    for path in paths:  # all checked before the first write
        check_overwrite(out, path.relative_to(rendered), path.is_dir())
    for path in paths:  # --force: our files replace theirs
        target = out / path.relative_to(rendered)
        if path.is_dir():
            target.mkdir(exist_ok=True)
        else:
            replace(path, target)


def replace(path: Path, target: Path) -> None:
    """Put `path` at `target` by a rename, which replaces a file or a link there and
    never writes through either; across file systems, via a new file beside it."""
    try:
        os.replace(path, target)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        os.close(handle)
        try:
            shutil.copy2(path, name)
            os.replace(name, target)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(name)


def check_overwrite(out: Path, name: Path, is_dir: bool) -> None:
    """Refuse a rendered path whose way down from `out` passes a link, ends in the
    wrong kind of thing, or a folder we cannot write in."""
    here = out
    for part in name.parts:
        parent, here = here, here / part
        if here.is_symlink():
            raise GenError(
                f"{here} is a symbolic link (to {os.readlink(here)}); gen new --force "
                "does not write through links: remove it, or choose another --out"
            )
        if not here.exists():
            break
    else:  # it exists: ours replaces it
        if is_dir and not here.is_dir():
            raise GenError(f"{here} is a file where gen writes a folder; move it away")
        if not is_dir and not here.is_file():
            kind = "a folder" if here.is_dir() else "not a plain file"
            raise GenError(f"{here} is {kind} where gen writes a file; move it away")
        if is_dir:
            return
    if not os.access(parent, os.W_OK | os.X_OK):
        raise GenError(f"{parent} is not writable; fix its permissions or --out")
