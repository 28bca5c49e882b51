"""Render the blueprints for a validated spec, all or nothing.

Copier writes into a scratch folder beside the target; only a complete render is moved
into place, so a failure never leaves half a project.
"""

import shutil
import tempfile
from pathlib import Path
from typing import Any

from .errors import GenError
from .source import BLUEPRINTS, Source


def check_target(out: Path, overwrite: bool) -> None:
    if out.is_file():
        raise GenError(f"{out} is a file; choose another --out")
    if out.is_dir() and any(out.iterdir()) and not overwrite:
        raise GenError(
            f"{out} is not empty; choose another --out, or add --force to overwrite"
        )


def render(answers: dict[str, Any], out: Path, source: Source, overwrite: bool) -> None:
    import copier  # 0.6 s to import: only once the spec is known to be good

    check_target(out, overwrite)
    out.parent.mkdir(parents=True, exist_ok=True)
    data = {**answers, "onefit_src": source.url, "onefit_ref": source.ref}
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=f".{out.name}.") as scratch:
        rendered = Path(scratch) / out.name
        copier.run_copy(
            str(BLUEPRINTS),
            rendered,
            data=data,
            defaults=True,
            quiet=True,
            unsafe=False,
        )
        if out.is_dir() and not any(out.iterdir()):
            out.rmdir()
        if not out.exists():
            rendered.rename(out)
            return
        for path in sorted(rendered.rglob("*")):  # --force: our files replace theirs
            target = out / path.relative_to(rendered)
            if path.is_dir():
                target.mkdir(exist_ok=True)
            else:
                shutil.copy2(path, target)
