"""`copier update` end to end: blueprint v1 -> emit -> user edits -> blueprint v2 -> update.

Runs gen from a git copy of this repository, as a developer's checkout would, so that the
project records that copy and its tags.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import copier
import pytest
import yaml
from onefit.cli import main
from onefit.edits import kept

from tests.goldens import ROOT
from tests.messages import assert_one_documented_line

SOURCES = ["copier.yml", "pyproject.toml", "generator", "schemas", "blueprints"]
IDENTITY = ["-c", "user.name=Test", "-c", "user.email=test@example.com"]


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *IDENTITY, *args],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


# Imports the checkout at argv[1] as the `onefit` package (generator/ as onefit, its
# schemas/ as onefit.schemas), as the installed package maps them, then runs gen.
FROM_CHECKOUT = """
import importlib.util, sys
root = sys.argv.pop(1)
spec = importlib.util.spec_from_file_location(
    "onefit", f"{root}/generator/__init__.py",
    submodule_search_locations=[f"{root}/generator", root],
)
sys.modules["onefit"] = package = importlib.util.module_from_spec(spec)
spec.loader.exec_module(package)
from onefit.cli import main
main(sys.argv[1:])
"""


def gen(onefit: Path, *args: str) -> subprocess.CompletedProcess:
    """gen as a developer's checkout at `onefit` runs it (not the installed one)."""
    return subprocess.run(
        [sys.executable, "-c", FROM_CHECKOUT, str(onefit), *args],
        cwd=onefit,
        capture_output=True,
        text=True,
        check=False,
    )


def commit_and_tag(folder: Path, tag: str = "") -> None:
    git(folder, "add", "-A")
    git(folder, "commit", "-qm", tag or "change")
    if tag:
        git(folder, "tag", tag)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def copy_onefit(onefit: Path) -> Path:
    """A git repository holding this checkout's sources, committed, with no tag."""
    onefit.mkdir()
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source,
                onefit / name,
                symlinks=True,  # as git holds them: backend files link to shared/
                ignore=shutil.ignore_patterns("__pycache__"),
            )
        else:
            shutil.copy2(source, onefit / name)
    git(onefit, "init", "-q")
    commit_and_tag(onefit)
    return onefit


@pytest.fixture
def onefit_v1(tmp_path):
    onefit = copy_onefit(tmp_path / "onefit")
    git(onefit, "tag", "v1.0.0")
    return onefit


@pytest.fixture
def project(onefit_v1, tmp_path):
    """A generated project, committed, with the user's own edits committed on top."""
    out = tmp_path / "project"
    result = gen(onefit_v1, "new", "--model", "lenet", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "_commit: v1.0.0" in (out / ".copier-answers.yml").read_text()
    git(out, "init", "-q")
    commit_and_tag(out)
    edit(
        out / "configs/trainer/default.yaml",
        "log_every_n_steps: 50",
        "log_every_n_steps: 10",
    )
    (out / "NOTES.md").write_text("my experiments\n")
    commit_and_tag(out)
    return out


def test_update_brings_new_blueprints_and_keeps_user_edits(onefit_v1, project):
    blueprint = onefit_v1 / "blueprints" / "lightning"
    edit(
        blueprint / "configs/trainer/debug.yaml",
        "limit_train_batches: 5",
        "limit_train_batches: 3",
    )
    edit(
        blueprint / "README.md.jinja",
        "## Training is one command",
        "## Training\n\nOne command.",
    )
    commit_and_tag(onefit_v1, "v2.0.0")

    result = gen(onefit_v1, "update", str(project))

    assert result.returncode == 0, result.stderr + result.stdout
    assert "Updated." in result.stdout
    assert (
        "limit_train_batches: 3" in (project / "configs/trainer/debug.yaml").read_text()
    )
    assert "## Training\n\nOne command." in (project / "README.md").read_text()
    assert (
        "log_every_n_steps: 10"
        in (project / "configs/trainer/default.yaml").read_text()
    )
    assert (project / "NOTES.md").read_text() == "my experiments\n"
    assert "_commit: v2.0.0" in (project / ".copier-answers.yml").read_text()


def test_update_that_collides_with_an_edit_says_where(onefit_v1, project):
    trainer = onefit_v1 / "blueprints/lightning/configs/trainer/default.yaml.jinja"
    edit(trainer, "log_every_n_steps: 50", "log_every_n_steps: 25")
    commit_and_tag(onefit_v1, "v2.0.0")

    result = gen(onefit_v1, "update", str(project))

    assert result.returncode == 1
    assert (
        "configs/trainer/default.yaml" in result.stdout and "<<<<<<<" in result.stdout
    )
    text = (project / "configs/trainer/default.yaml").read_text()
    assert "<<<<<<< before updating" in text and "log_every_n_steps: 10" in text
    assert "log_every_n_steps: 25" in text


def test_an_edited_file_the_blueprints_move_is_named_not_dropped(onefit_v1, project):
    """Copier deletes such a file, edit and all, and exits 0: gen names it, exits 1."""
    edit(project / "configs/trainer/debug.yaml", "max_epochs: 1", "max_epochs: 2")
    commit_and_tag(project)
    configs = onefit_v1 / "blueprints/lightning/configs"
    git(configs, "mv", "trainer/debug.yaml", "trainer/smoke.yaml")  # edited by the user
    git(configs, "mv", "scheduler/step.yaml", "scheduler/steps.yaml")  # not edited
    commit_and_tag(onefit_v1, "v2.0.0")

    result = gen(onefit_v1, "update", str(project))

    assert result.returncode == 1, result.stderr + result.stdout
    shown = "configs/trainer/debug.yaml: git show HEAD:configs/trainer/debug.yaml"
    assert shown in result.stdout
    assert "step.yaml" not in result.stdout  # moved, but nobody's edit went with it
    assert "default.yaml" not in result.stdout  # edited, and the edit is still there
    assert (project / "configs/trainer/smoke.yaml").is_file()
    assert "max_epochs: 2" in git(project, "show", "HEAD:configs/trainer/debug.yaml")


def test_an_edit_counts_as_kept_only_if_the_text_still_holds_it(tmp_path):
    base, theirs, now = (tmp_path / name for name in ("base", "theirs", "now"))
    base.write_text("a\nb\n")
    theirs.write_text("a\nb\nc\n")
    now.write_text("a\nb\nc\n")  # what the update left: the blueprints' text
    assert not kept(now, b"a\nB\n", base, theirs)  # the user's B is gone
    assert kept(now, b"a\nb\nc\n", base, theirs)  # the blueprints made the same edit
    assert not kept(tmp_path / "gone", b"a\nB\n", base, theirs)


def test_update_refuses_uncommitted_work(onefit_v1, project):
    (project / "NOTES.md").write_text("unsaved\n")
    result = gen(onefit_v1, "update", str(project))
    assert result.returncode == 2 and "uncommitted changes" in result.stderr
    assert (project / "NOTES.md").read_text() == "unsaved\n"


def test_a_recorded_version_that_is_gone_is_one_line_not_a_traceback(
    onefit_v1, project
):
    edit(project / ".copier-answers.yml", "_commit: v1.0.0", "_commit: v9.9.9")
    commit_and_tag(project)
    result = gen(onefit_v1, "update", str(project))
    assert result.returncode == 2
    message = assert_one_documented_line(result.stderr)
    assert f"_commit v9.9.9 is not a tag or commit in {onefit_v1}" in message


def test_an_untracked_folder_in_the_blueprints_checkout_never_makes_a_fake_commit(
    tmp_path,
):
    """From an untagged checkout copier updates to HEAD, and from a dirty local HEAD it
    records a commit made in its temporary clone: the next update could not find it."""
    onefit = copy_onefit(tmp_path / "onefit")
    out = tmp_path / "project"
    assert gen(onefit, "new", "--model", "lenet", "--out", str(out)).returncode == 0
    git(out, "init", "-q")
    commit_and_tag(out)
    blueprint = onefit / "blueprints/lightning/configs/trainer/debug.yaml"
    for limit in ("3", "2"):  # two updates: the second starts from the first's record
        edit(blueprint, "limit_train_batches: ", f"limit_train_batches: {limit}")
        commit_and_tag(onefit)
        (onefit / f"untracked-{limit}").mkdir()
        (onefit / f"untracked-{limit}" / "notes.txt").write_text("not committed")

        result = gen(onefit, "update", str(out))

        assert result.returncode == 0, result.stderr + result.stdout
        answers = yaml.safe_load((out / ".copier-answers.yml").read_text())
        head = git(onefit, "rev-parse", "HEAD").strip()
        assert (
            git(onefit, "rev-parse", f"{answers['_commit']}^{{commit}}").strip() == head
        )
        assert (
            f"limit_train_batches: {limit}"
            in (out / "configs/trainer/debug.yaml").read_text()
        )
        commit_and_tag(out)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """An onefit checkout tagged v1.0.0 and a committed project generated from it, made
    once: each test below takes a copy of the project."""
    folder = tmp_path_factory.mktemp("made")
    onefit = copy_onefit(folder / "onefit")
    git(onefit, "tag", "v1.0.0")
    out = folder / "project"
    assert gen(onefit, "new", "--model", "lenet", "--out", str(out)).returncode == 0
    git(out, "init", "-q")
    commit_and_tag(out)
    return onefit, out


def spoil(text: str, key: str, value: str | None) -> str:
    """The answers file's text with `key:` set to `value`, or dropped (None)."""
    lines = [line for line in text.splitlines() if not line.startswith(f"{key}:")]
    return "\n".join(lines + ([f"{key}: {value}"] if value is not None else [])) + "\n"


ANSWERS_FORMS = {  # how the answers file is spoiled -> what the one line says
    "not YAML": (lambda t, o: t + "_commit: [v1\n", "is not valid YAML"),
    "a list": (lambda t, o: "- a\n- b\n", "must hold keys and values, not list"),
    "a scalar": (lambda t, o: "v1.0.0\n", "must hold keys and values, not str"),
    "empty": (lambda t, o: "", "must hold keys and values, not nothing"),
    "not UTF-8": (lambda t, o: t + "note: caf\udce9\n", "cannot read"),
    "no _src_path": (
        lambda t, o: spoil(t, "_src_path", None),
        "_src_path must name the blueprints' git repository as text, missing",
    ),
    "no _commit": (
        lambda t, o: spoil(t, "_commit", None),
        "_commit must name the blueprints' tag or commit as text, missing",
    ),
    "_commit a number": (lambda t, o: spoil(t, "_commit", "1.0"), "as text, not 1.0"),
    "_commit a list": (lambda t, o: spoil(t, "_commit", "[v1]"), "not ['v1']"),
    "_commit gone": (
        lambda t, o: spoil(t, "_commit", "v9.9.9"),
        "_commit v9.9.9 is not a tag or commit in",
    ),
    "_commit a made-up hash": (
        lambda t, o: spoil(t, "_commit", "5d4316d"),
        "_commit 5d4316d is not a tag or commit",
    ),
    "_commit an option": (
        lambda t, o: spoil(t, "_commit", "--output=x"),
        "is not a tag or commit",
    ),
    "_src_path gone": (
        lambda t, o: spoil(t, "_src_path", str(o.parent / "gone")),
        "gone is not a folder here; set _src_path",
    ),
    "_src_path not git": (
        lambda t, o: spoil(t, "_src_path", str(o / "blueprints")),
        "blueprints is not a git repository's top; set _src_path",
    ),
    "backend": (
        lambda t, o: spoil(t, "backend", "tensorflow"),
        "backend must be one of lightning, paddle, not 'tensorflow'",
    ),
    "no backend": (lambda t, o: spoil(t, "backend", None), "not None"),
    "a question unanswered": (lambda t, o: spoil(t, "model", None), "model: "),
    # Answers gen new would refuse: checked as a spec before anything renders.
    "an unknown model": (
        lambda t, o: spoil(t, "model", "resnt18"),
        "model: unknown model 'resnt18'",
    ),
    "epochs below 1": (lambda t, o: spoil(t, "epochs", "-5"), "train.epochs: "),
    "batch_size 0": (lambda t, o: spoil(t, "batch_size", "0"), "train.batch_size: "),
    "a package name of another package": (
        lambda t, o: spoil(t, "package_name", "torch"),
        "package_name must be",
    ),
}


@pytest.mark.parametrize("form", ANSWERS_FORMS)
def test_a_spoiled_answers_file_is_one_line_and_changes_nothing(
    made, tmp_path, capsys, form
):
    """In this process (the refusals come before copier runs): fast, and the same
    code as a subprocess would run."""
    onefit, original = made
    project = tmp_path / "project"
    shutil.copytree(original, project, symlinks=True)
    spoiled, says = ANSWERS_FORMS[form]
    answers = project / ".copier-answers.yml"
    text = spoiled(answers.read_text(), onefit)
    answers.write_bytes(text.encode("utf-8", "surrogateescape"))
    commit_and_tag(project)
    head = git(project, "rev-parse", "HEAD")

    with pytest.raises(SystemExit) as exit:
        main(["update", str(project)])

    assert exit.value.code == 2
    message = assert_one_documented_line(capsys.readouterr().err)
    assert says in message
    assert git(project, "status", "--porcelain") == ""
    assert git(project, "rev-parse", "HEAD") == head


@pytest.mark.parametrize(
    "make, says",
    [
        (
            lambda p: p.unlink(),
            "has no .copier-answers.yml: it was not made by gen new",
        ),
        (lambda p: (p.unlink(), p.mkdir()), "has no .copier-answers.yml"),
    ],
    ids=["missing", "a folder"],
)
def test_an_answers_file_that_is_not_a_file_is_one_line(
    made, tmp_path, capsys, make, says
):
    project = tmp_path / "project"
    shutil.copytree(made[1], project, symlinks=True)
    make(project / ".copier-answers.yml")
    with pytest.raises(SystemExit) as exit:
        main(["update", str(project)])
    assert exit.value.code == 2
    assert says in assert_one_documented_line(capsys.readouterr().err)


def test_a_full_disk_during_the_update_says_how_to_undo(
    made, tmp_path, capsys, monkeypatch
):
    project = tmp_path / "project"
    shutil.copytree(made[1], project, symlinks=True)

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(copier, "run_update", full)
    with pytest.raises(SystemExit) as exit:
        main(["update", str(project)])
    assert exit.value.code == 2
    message = assert_one_documented_line(capsys.readouterr().err)
    undo = "undo what it did with: git reset --hard && git clean -fd"
    assert message.endswith(f"No space left on device; {undo}")


def test_a_conflict_in_a_project_inside_a_bigger_repository_is_found(
    onefit_v1, tmp_path
):
    """git reports paths from the repository's root; the conflict check must not."""
    monorepo = tmp_path / "monorepo"
    out = monorepo / "models" / "project"
    result = gen(onefit_v1, "new", "--model", "lenet", "--out", str(out))
    assert result.returncode == 0, result.stderr
    git(monorepo, "init", "-q")
    commit_and_tag(monorepo)
    trainer = out / "configs/trainer/default.yaml"
    edit(trainer, "log_every_n_steps: 50", "log_every_n_steps: 10")
    commit_and_tag(monorepo)
    blueprint = onefit_v1 / "blueprints/lightning/configs/trainer/default.yaml.jinja"
    edit(blueprint, "log_every_n_steps: 50", "log_every_n_steps: 25")
    commit_and_tag(onefit_v1, "v2.0.0")

    result = gen(onefit_v1, "update", str(out))

    assert result.returncode == 1, result.stdout + result.stderr
    assert "configs/trainer/default.yaml" in result.stdout
