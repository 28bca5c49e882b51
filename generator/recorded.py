"""A project's .copier-answers.yml, read and checked before `gen update` trusts it, and
the blueprint version an update goes to.

Copier meets a broken answers file with a traceback, and renders whatever folder
`_src_path` names, git or not; so each way the file can be wrong is one line here,
naming the key and the fix. Where the blueprints are a local git checkout, its tag or
commit is checked there too: a remote one is checked by copier as it fetches.
"""

import contextlib
import io
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .catalog import CATALOG
from .edits import ANSWERS
from .errors import GenError
from .git import git
from .schemas.catalog import BACKENDS
from .schemas.spec import validate_spec
from .spec_input import explain

REMOTE = ("://", "git@", "gh:", "gl:", "git+")  # how copier's URLs start or contain


def recorded_answers(project: Path) -> dict[str, Any]:
    """The answers, refused in one line if they cannot drive an update."""
    path = project / ANSWERS
    restore = f"restore it with: git checkout -- {ANSWERS}"
    if not project.exists():
        raise GenError(f"{project}: no such folder")
    if not project.is_dir():
        raise GenError(f"{project} is a file; give the project's folder")
    if not path.is_file():
        raise GenError(f"{project} has no {ANSWERS}: it was not made by gen new")
    try:
        answers = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise GenError(f"cannot read {path} ({error}); {restore}") from None
    except yaml.YAMLError as error:
        raise GenError(
            f"{path} is not valid YAML ({' '.join(str(error).split())}); {restore}"
        ) from None
    if not isinstance(answers, dict):
        kind = type(answers).__name__ if answers is not None else "nothing"
        raise GenError(f"{path} must hold keys and values, not {kind}; {restore}")
    for key, what in (("_src_path", "git repository"), ("_commit", "tag or commit")):
        value = answers.get(key)
        if not isinstance(value, str) or not value:
            given = "missing" if value is None else f"not {value!r}"
            raise GenError(
                f"{path}: {key} must name the blueprints' {what} as text, {given}; "
                f"{restore} (docs/updating.md)"
            )
    backend = answers.get("backend")
    if backend not in BACKENDS:  # copier's subdirectory: else an OSError from copier
        raise GenError(
            f"{path}: backend must be one of {', '.join(BACKENDS)}, not {backend!r}; "
            f"{restore}"
        )
    check_answers(path, answers, restore)
    check_source(path, answers["_src_path"], answers["_commit"])
    return answers


TRAINING = ("epochs", "batch_size", "optimizer", "scheduler", "precision", "devices")
TRAINING += ("loggers", "seed")


def check_answers(path: Path, answers: dict[str, Any], restore: str) -> None:
    """The answers must make the spec `gen new` would accept: an edited answer (a
    model that is not in the catalog, batch_size: 0) is refused before it renders."""
    for key in ("model", "data"):  # a spec may leave them out; gen new records both
        if answers.get(key) is None:
            raise GenError(
                f"{path}: {key}: missing, and every project records it; {restore}"
            )
    raw = {
        key: answers[key]
        for key in ("backend", "task", "model", "data", "features")
        if key in answers
    }
    raw["name"] = answers.get("project_name")
    raw["train"] = {key: answers[key] for key in TRAINING if key in answers}
    devices = raw["train"].get("devices")
    if isinstance(devices, str) and devices.isdigit():  # recorded as text
        raw["train"]["devices"] = int(devices)
    try:
        spec = validate_spec(raw, CATALOG)
    except ValidationError as error:
        raise GenError(f"{path}: {explain(error)}; {restore}") from None
    if answers.get("package_name") != spec.package_name:
        raise GenError(
            f"{path}: package_name must be {spec.package_name}, the name project_name"
            f" {spec.project_name} gives, not {answers.get('package_name')!r}; {restore}"
        )


def check_source(path: Path, source: str, commit: str) -> None:
    """A local `_src_path` must be a git repository holding `_commit`."""
    if is_remote(source):
        return
    folder = Path(source).expanduser()
    fix = f"set _src_path in {path} to a git checkout of onefit, or its URL"
    if not folder.is_dir():
        raise GenError(f"{path}: _src_path {source} is not a folder here; {fix}")
    if git(folder, "rev-parse", "--show-toplevel") != str(folder.resolve()):
        raise GenError(
            f"{path}: _src_path {source} is not a git repository's top; {fix}"
        )
    if commit.startswith("-") or not git(
        folder, "rev-parse", "--verify", "--quiet", f"{commit}^{{commit}}"
    ):
        raise GenError(
            f"{path}: _commit {commit} is not a tag or commit in {source}; set it to "
            f"the one this project was generated from (git log -p -- {ANSWERS})"
        )


def newest_ref(source: str) -> str | None:
    """The version `gen update` goes to, named so copier checks it out as committed.

    Told nothing, copier takes the newest version tag, else HEAD; and from a local HEAD
    it first commits the checkout's uncommitted files (an untracked folder is enough)
    in its temporary clone, and records that commit, which exists nowhere else: the
    next update cannot find it. So a local HEAD is named by its commit. None: leave it
    to copier (a remote repository has no uncommitted files).
    """
    if is_remote(source):
        return None
    from copier._vcs import get_latest_tag  # the rule copier would apply itself

    folder = Path(source).expanduser().resolve()
    with contextlib.redirect_stderr(io.StringIO()):  # "No git tags found ..."
        tag = get_latest_tag(str(folder))
    return tag if tag != "HEAD" else git(folder, "rev-parse", "HEAD")


def is_remote(source: str) -> bool:
    return any(mark in source for mark in REMOTE)
