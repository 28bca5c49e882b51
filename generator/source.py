"""Where `copier update` will find these blueprints again: a git repository and a ref.

Copier can update a project only from a git template, and records the source itself only
when the template folder is a repository root. `gen` renders from blueprints/ (a plain
folder in both a checkout and an installed package), so it names the source itself:
- in a git checkout of onefit: that checkout, at the tag on HEAD or else HEAD's commit;
- installed from a package: the git URL in ONEFIT_TEMPLATE_URL, at tag v<version>
  (the release process tags every version; see docs/updating.md).
"""

import os
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .git import git

HERE = Path(__file__).resolve().parent
# The wheel holds blueprints/ inside the package; a checkout has it beside generator/.
BLUEPRINTS = next(
    p for p in (HERE / "blueprints", HERE.parent / "blueprints") if p.is_dir()
)


@dataclass(frozen=True)
class Source:
    url: str  # "" when unknown: the project will not be updatable
    ref: str
    dirty: bool  # blueprints differ from `ref`: an update would mistake that for edits


def template_source() -> Source:
    root = BLUEPRINTS.parent
    if (root / "copier.yml").is_file() and git(
        root, "rev-parse", "--show-toplevel"
    ) == str(root):
        tag = git(root, "describe", "--tags", "--exact-match", "HEAD")
        ref = tag or git(root, "rev-parse", "HEAD")
        if ref:
            changes = git(
                root, "status", "--porcelain", "--", "blueprints", "copier.yml"
            )
            return Source(str(root), ref, dirty=bool(changes))
    return Source(
        os.environ.get("ONEFIT_TEMPLATE_URL", ""), f"v{__version__}", dirty=False
    )
