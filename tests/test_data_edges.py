"""Your own data at its edges, in a rendered project: a list inside an archive fetched by
data.url that names files outside it, mirrors that are not URLs, a mix whose shared
classes differ, broken links among the images, class folders whose names differ only in
how Unicode writes an accent, and an archive of the wrong shape. Each bad form ends in
one documented line, exit code 2, and nothing half-written (no run directory, no
`.part` or scratch folder); what is good is read."""

import json
import os
import shutil
import tarfile
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.conftest import run
from tests.http_server import serve
from tests.messages import TRAIN, assert_one_documented_line
from tests.test_emitted_trains import QUIET
from tests.test_image_folders import data_cfg, write_digits
from tests.test_mix import write_digit_pngs

FULL = "lightning-lenet-digits"  # the data code is shared: one twin is enough here
SMALL = ["data.image_size=8", "data.val_fraction=0.2", "data.test_fraction=0.2"]
NO_MIRRORS = {"DATA_MIRRORS": None, "DATA_MIRRORS_ONLY": None}  # the tester's own
NFC, NFD = (unicodedata.normalize(form, "café") for form in ("NFC", "NFD"))


def refused(args: list[str], project: Path, env: dict | None = None) -> str:
    """The one documented line a refused command prints (exit code 2), after the
    `downloading URL -> file` lines of a download."""
    done = run(args, project, env={**NO_MIRRORS, **(env or {})})
    assert done.returncode == 2, done.stdout + done.stderr
    *before, last = done.stderr.splitlines(keepends=True)
    assert all(line.startswith("downloading http://") for line in before), before
    return assert_one_documented_line(last, TRAIN)


def checked(args: list[str], project: Path) -> str:
    """check_data.py's report of data that is good."""
    done = run(["check_data.py", *args], project, env=NO_MIRRORS)
    assert done.returncode == 0, done.stderr
    return done.stdout


def nothing_half_written(project: Path) -> None:
    """No run directory, no partial download, no scratch folder of an unpack."""
    assert not (project / "runs").exists()
    leftovers = [*project.rglob("*.part"), *project.rglob(".unpack-*")]
    assert not leftovers, leftovers


def png(path: Path, value: int = 90) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.full((8, 8), value, np.uint8), "L").save(path)
    return path


def pack(folder: Path, archive: Path) -> None:
    """`folder` as a .tar.gz holding it under its own name, as people pack a folder."""
    archive.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive, "w:gz") as packed:
        packed.add(folder, arcname=folder.name)


def listed_pets(folder: Path, extra_row: str | None = None) -> None:
    """pets/images/<class>/*.png and pets/labels.csv naming them; `extra_row` is put as
    line 3 (after the header and one good row)."""
    write_digits(folder / "images", per_class=5)
    rows = [
        f"images/{p.parent.name}/{p.name},{p.parent.name}"
        for p in sorted((folder / "images").rglob("*.png"))
    ]
    if extra_row is not None:
        rows.insert(1, extra_row)
    (folder / "labels.csv").write_text("path,label\n" + "\n".join(rows) + "\n")


# 1. With data.url, the list and every file it names are inside the archive's folder.


@pytest.mark.parametrize("form", ["parent", "climbs back out", "absolute"])
def test_a_list_in_an_archive_may_name_only_files_inside_it(
    golden_copy, tmp_path, form
):
    project = golden_copy(FULL)
    root = project / "data"
    png(root / "outside.png")  # beside the folder the archive unpacks into
    secret = png(tmp_path / "elsewhere" / "secret.png")  # anywhere on this machine
    row = {
        "parent": "../outside.png",
        "climbs back out": "images/zero/../../../outside.png",
        "absolute": str(secret),
    }[form]
    listed_pets(tmp_path / "pets", f"{row},zero")
    pack(tmp_path / "pets", (served := tmp_path / "served") / "pets.tar.gz")
    args = ["model=lenet", "data=csv", "data.csv=labels.csv", f"data.root={root}"]
    script = "train.py" if form == "absolute" else "check_data.py"
    with serve(served) as url:
        said = refused([script, *args, *SMALL, f"data.url={url}pets.tar.gz"], project)
    folder = root / "pets"
    assert said == (
        f"{folder / 'labels.csv'}, line 3: {row} leads out of {folder}, where data.url"
        " unpacks: a list in an archive may name only files inside it (in the archive"
        f" data.url={url}pets.tar.gz: mend it, then delete {folder} and"
        f" {root / 'pets.tar.gz'} to unpack it again)"
    )
    nothing_half_written(project)


@pytest.mark.parametrize("form", ["parent", "absolute"])
def test_with_data_url_the_list_itself_is_inside_the_archive(
    golden_copy, tmp_path, form
):
    project = golden_copy(FULL)
    root = project / "data"
    listed_pets(tmp_path / "pets")
    pack(tmp_path / "pets", (served := tmp_path / "served") / "pets.tar.gz")
    root.mkdir()
    (root / "labels.csv").write_text("path,label\npets/images/zero/000.png,zero\n")
    given = "../labels.csv" if form == "parent" else str(root / "labels.csv")
    with serve(served) as url:
        archive = f"data.url={url}pets.tar.gz"
        args = ["data=csv", f"data.csv={given}", f"data.root={root}", archive]
        said = refused(["check_data.py", *args, *SMALL], project)
    assert said == (
        f"data.csv={given} leads out of {root / 'pets'}, where {archive} unpacks:"
        " with data.url, give the list's path inside the archive"
    )
    nothing_half_written(project)


def test_your_own_list_without_data_url_may_name_files_anywhere(golden_copy, tmp_path):
    project = golden_copy(FULL)
    write_digits(images := tmp_path / "images", per_class=5)
    rows = []
    for number, path in enumerate(sorted(images.rglob("*.png"))):
        shown = path if number % 2 else Path("..", "images", *path.parts[-2:])
        rows.append(f"{shown},{path.parent.name}")
    (lists := tmp_path / "lists").mkdir()
    (lists / "labels.csv").write_text("path,label\n" + "\n".join(rows) + "\n")
    report = checked(["data=csv", f"data.csv={lists / 'labels.csv'}", *SMALL], project)
    assert "data=csv: 1x8x8 images, 3 classes" in report


# 2. Mirrors are http(s) base URLs, given as a list.

MIRRORS = "give http:// or https:// base URLs of servers holding the files, e.g."


@pytest.mark.parametrize(
    "arg, env, said",
    [
        (
            "data.mirrors=http://host/",
            {},
            "data.mirrors is a list: data.mirrors=[http://host/]",
        ),
        (
            "data.mirrors=[notaurl]",
            {},
            f"data.mirrors=[notaurl]: notaurl is not a mirror: {MIRRORS}"
            " data.mirrors=[https://host/data/]",
        ),
        (
            "data.mirrors=[/srv/mirror/]",
            {},
            f"data.mirrors=[/srv/mirror/]: /srv/mirror/ is not a mirror: {MIRRORS}"
            " data.mirrors=[https://host/data/]",
        ),
        (
            "data.mirrors=[http://ok.example/,file:///srv/m/]",
            {},
            "data.mirrors=[http://ok.example/,file:///srv/m/]: file:///srv/m/ is not a"
            f" mirror: {MIRRORS} data.mirrors=[https://host/data/]",
        ),
        (
            "data.mirrors=[http:/host/]",
            {},
            f"data.mirrors=[http:/host/]: http:/host/ is not a mirror: {MIRRORS}"
            " data.mirrors=[https://host/data/]",
        ),
        (
            None,
            {"DATA_MIRRORS": "notaurl"},
            f"DATA_MIRRORS=notaurl: notaurl is not a mirror: {MIRRORS}"
            " DATA_MIRRORS=https://host/data/",
        ),
        (
            None,
            {"DATA_MIRRORS": "http://ok.example/ /srv/m"},
            f"DATA_MIRRORS=http://ok.example/ /srv/m: /srv/m is not a mirror: {MIRRORS}"
            " DATA_MIRRORS=https://host/data/",
        ),
    ],
)
def test_mirrors_are_http_base_urls_in_a_list(golden_copy, arg, env, said):
    project = golden_copy(FULL)
    args = ["check_data.py", "data=mnist", *([arg] if arg else [])]
    assert refused(args, project, env) == said
    assert not (project / "data").exists()
    nothing_half_written(project)


def test_an_archive_by_url_checks_its_mirrors_first(golden_copy):
    project = golden_copy(FULL)
    args = ["train.py", "data=imagefolder", "data.url=http://host/pets.tar.gz"]
    said = refused([*args, "data.mirrors=[pets_mirror]"], project)
    assert said.startswith("data.mirrors=[pets_mirror]: pets_mirror is not a mirror")
    assert not (project / "data").exists()
    nothing_half_written(project)


# 3. A mix's shared labels: what differs, by name.


@pytest.fixture(scope="module")
def package(golden_package):
    return lambda module: golden_package(FULL, module)


@pytest.mark.parametrize(
    "theirs, said",
    [
        (["cat"], "source b lacks class dog, which a has"),
        (["cat", "dog", "cow"], "source b has class cow, which a lacks"),
        ([], "source b lacks classes cat, dog, which a has"),
        (
            ["Cat", "dog"],
            "source b has class Cat, which a lacks, and lacks class cat, which a has",
        ),
        (
            [str(n) for n in range(12)],
            "source b has classes 0, 1, 2, 3, 4 and 7 more, which a lacks, and lacks"
            " classes cat, dog, which a has",
        ),
    ],
)
def test_shared_labels_say_what_differs_by_name(package, theirs, said):
    label_space = package("data.mix_labels").label_space
    user_error = package("errors").UserError
    parts = [{"class_names": ["cat", "dog"]}, {"class_names": theirs}]
    with pytest.raises(user_error) as refusal:
        label_space(["a", "b"], parts, "shared")
    assert str(refusal.value) == (
        f"data.labels=shared needs the same class names in every source: {said};"
        " rename the classes to match, or set data.labels=disjoint"
    )


def test_shared_labels_in_another_order_are_mapped_by_name(package):
    label_space = package("data.mix_labels").label_space
    parts = [
        {"class_names": ["cat", "dog", "cow"]},
        {"class_names": ["cow", "cat", "dog"]},
    ]
    names, maps = label_space(["a", "b"], parts, "shared")
    assert names == ["cat", "dog", "cow"] and maps[1].tolist() == [2, 0, 1]


def test_a_mix_whose_source_lacks_a_class_names_it(golden_copy):
    project = golden_copy(FULL)
    write_digit_pngs(project / "photos")
    (project / "photos" / "9").rename(project / "photos" / ".9")  # hidden: left out
    sources = (
        "data.sources=[{name: digits, weight: 1}, {name: imagefolder, root: photos,"
        " weight: 1}]"
    )
    said = refused(["check_data.py", "data=mix", sources], project)
    assert said == (
        "data.labels=shared needs the same class names in every source: source"
        " imagefolder lacks class 9, which digits has; rename the classes to match, or"
        " set data.labels=disjoint"
    )
    nothing_half_written(project)


# 4. A broken link among the images is unreadable, named like a damaged image.


def broken_links(photos: Path) -> dict[Path, str]:
    """A link to a file that is gone, and a link to itself: {link: reason}."""
    (gone := photos / "one" / "gone.png").symlink_to(photos / "deleted.png")
    (loop := photos / "zero" / "loop.png").symlink_to("loop.png")
    return {
        gone: f"a broken link to {photos / 'deleted.png'}",
        loop: "a broken link to loop.png",
    }


def test_a_broken_link_stops_a_run_and_check_data_lists_each(golden_copy, tmp_path):
    project = golden_copy(FULL)
    write_digits(photos := tmp_path / "photos", per_class=5)
    links = broken_links(photos)
    args = ["data=imagefolder", f"data.root={photos}", *SMALL]
    done = run(["check_data.py", *args], project, env=NO_MIRRORS)
    assert done.returncode == 2
    said = assert_one_documented_line(done.stderr, TRAIN)
    gone = next(iter(links))
    assert said == (
        f"{gone}: cannot read this image ({links[gone]}) (1 more unreadable files:"
        " python check_data.py lists them); fix or remove it, or set"
        " data.skip_corrupt=true to skip unreadable images"
    )
    listed = [line for line in done.stdout.splitlines() if line.startswith("unread")]
    assert listed == [f"unreadable {path}: {why}" for path, why in links.items()]
    nothing_half_written(project)


def test_broken_links_skipped_are_in_the_record(golden_copy, tmp_path):
    project = golden_copy(FULL)
    write_digits(photos := tmp_path / "photos", per_class=5)
    links = broken_links(photos)
    args = ["train.py", "model=lenet", "data=imagefolder", f"data.root={photos}"]
    args += [*SMALL, "data.skip_corrupt=true", "trainer=debug", "scheduler=none"]
    done = run([*args, *QUIET], project, env=NO_MIRRORS)
    assert done.returncode == 0, done.stderr
    (run_dir,) = (project / "runs").iterdir()
    skipped = json.loads((run_dir / "record.json").read_text())["data"]["skipped"]
    assert skipped == [{"path": str(p), "reason": r} for p, r in links.items()]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_a_file_not_allowed_to_be_read_is_recorded(package, tmp_path):
    folders, listing = package("data.folders"), package("data.listing")
    write_digits(photos := tmp_path / "photos", per_class=5)
    (photos / "two" / "000.png").chmod(0)
    listed = folders.class_files(photos)
    arrays = listing.load_listed(listed, "here", data_cfg(skip_corrupt=True))
    (skipped,) = arrays.notes["skipped"]
    assert skipped["path"] == str(photos / "two" / "000.png")
    assert skipped["reason"].startswith("PermissionError: [Errno 13] Permission")


# 5. One class name written two ways in Unicode (NFC, and macOS's NFD).


@pytest.mark.parametrize("layout", ["flat", "split"])
def test_one_class_name_in_two_unicode_forms_is_refused(golden_copy, tmp_path, layout):
    project = golden_copy(FULL)
    photos = tmp_path / "photos"
    classes = photos / ("train" if layout == "split" else "")
    write_digits(classes, per_class=5)
    for name, value in ((NFC, 40), (NFD, 200)):
        for number in range(5):
            png(classes / name / f"{number}.png", value + number)
    args = ["data=imagefolder", f"data.root={photos}", *SMALL]
    script = "train.py" if layout == "flat" else "check_data.py"
    said = refused([script, *args], project)
    first, second = sorted([classes / NFC, classes / NFD])  # NFD sorts first
    assert said == (
        f"{first} and {second} are one class name written two ways in Unicode"
        f" ({first.name!a} and {second.name!a}: macOS writes accents apart): move the"
        " files of one into the other, or rename one"
    )
    nothing_half_written(project)


def test_a_split_written_on_a_mac_names_the_same_class(golden_copy, tmp_path):
    """train/ written with "é" (NFC), val/ copied from a Mac ("e" + accent, NFD): one
    class, recorded as NFC."""
    project = golden_copy(FULL)
    photos = tmp_path / "photos"
    for split, name in (("train", NFC), ("val", NFD)):
        write_digits(photos / split, per_class=5)
        for number in range(5):
            png(photos / split / name / f"{number}.png", 60 + number)
    report = checked(["data=imagefolder", f"data.root={photos}", *SMALL], project)
    assert "data=imagefolder: 1x8x8 images, 4 classes" in report
    assert f"\n{NFC} " in report and NFD not in report


def test_csv_labels_in_two_unicode_forms_are_one_class(golden_copy, tmp_path):
    project = golden_copy(FULL)
    write_digits(tmp_path / "images", per_class=6)
    rows = [
        f"images/{p.parent.name}/{p.name},{p.parent.name}"
        for p in sorted((tmp_path / "images" / "zero").glob("*.png"))
    ] + [
        f"images/one/{p.name},{NFC if number % 2 else NFD}"
        for number, p in enumerate(sorted((tmp_path / "images" / "one").glob("*.png")))
    ]
    (tmp_path / "labels.csv").write_text("path,label\n" + "\n".join(rows) + "\n")
    args = ["data=csv", f"data.csv={tmp_path / 'labels.csv'}", *SMALL]
    report = checked(args, project)
    assert "data=csv: 1x8x8 images, 2 classes" in report and NFD not in report


# 6. An archive of the wrong shape: where it came from, and what to delete.


def test_a_bad_archive_says_so_and_what_to_delete_to_unpack_a_mended_one(
    golden_copy, tmp_path
):
    project = golden_copy(FULL)
    root = project / "data"
    for number in range(6):  # the images lie flat: no class folders
        png(tmp_path / "pets" / f"{number}.png", 30 * number)
    pack(tmp_path / "pets", (served := tmp_path / "served") / "pets.tar.gz")
    folder, copy = root / "pets", root / "pets.tar.gz"
    with serve(served) as url:
        args = ["data=imagefolder", f"data.root={root}", f"data.url={url}pets.tar.gz"]
        said = refused(["train.py", *args, *SMALL], project)
        assert said == (
            f"data.root={folder} holds no class folders: it should hold class"
            " sub-folders (or train/, val/, test/ holding them) (in the archive"
            f" data.url={url}pets.tar.gz: mend it, then delete {folder} and {copy} to"
            " unpack it again)"
        )
        nothing_half_written(project)
        # mended on the server: the folder unpacked before is still what is read
        (tmp_path / "pets").rename(tmp_path / "flat")
        write_digits(tmp_path / "pets", per_class=5)
        pack(tmp_path / "pets", served / "pets.tar.gz")
        assert refused(["check_data.py", *args, *SMALL], project) == said
        shutil.rmtree(folder)  # as the message says
        copy.unlink()
        report = checked([*args, *SMALL], project)
    assert "data=imagefolder: 1x8x8 images, 3 classes" in report


def test_a_local_archive_of_one_class_names_only_the_folder_to_delete(
    golden_copy, tmp_path
):
    project = golden_copy(FULL)
    root = project / "data"
    write_digits(tmp_path / "pets", per_class=5)
    for name in ("one", "two"):
        shutil.rmtree(tmp_path / "pets" / name)
    pack(tmp_path / "pets", archive := tmp_path / "pets.tar.gz")
    args = ["data=imagefolder", f"data.root={root}", f"data.url={archive}", *SMALL]
    said = refused(["check_data.py", *args], project)
    folder = root / "pets"
    assert said == (
        f"data.root={folder}: only one class (zero); a classifier needs two or more"
        f" class folders (in the archive data.url={archive}: mend it, then delete"
        f" {folder} to unpack it again)"
    )
    assert archive.is_file()  # your own archive is never named for deletion
    nothing_half_written(project)


def test_a_list_in_an_archive_naming_a_missing_image_says_where_it_came_from(
    golden_copy, tmp_path
):
    project = golden_copy(FULL)
    root = project / "data"
    listed_pets(tmp_path / "pets", "images/zero/missing.png,zero")
    pack(tmp_path / "pets", (served := tmp_path / "served") / "pets.tar.gz")
    with serve(served) as url:
        args = ["data=csv", "data.csv=labels.csv", f"data.url={url}pets.tar.gz"]
        said = refused(["check_data.py", *args, f"data.root={root}", *SMALL], project)
    folder = root / "pets"
    assert said == (
        f"{folder / 'labels.csv'}, line 3: no such image"
        f" {folder / 'images/zero/missing.png'} (paths are relative to the CSV file's"
        f" folder) (in the archive data.url={url}pets.tar.gz: mend it, then delete"
        f" {folder} and {root / 'pets.tar.gz'} to unpack it again)"
    )
    nothing_half_written(project)


def test_a_voc_archive_of_the_wrong_shape_says_where_it_came_from(
    golden_copy, tmp_path
):
    project = golden_copy("lightning-unet-digit-canvas")
    root = project / "data"
    png(tmp_path / "myvoc" / "JPEGImages" / "a.png")  # no ImageSets/: not a VOC folder
    pack(tmp_path / "myvoc", archive := tmp_path / "myvoc.tar.gz")
    args = ["check_data.py", "data=voc", f"data.root={root}", f"data.url={archive}"]
    said = refused(args, project)
    folder = root / "myvoc"
    assert said.startswith(f"{folder} holds no VOC folder (itself, VOC2012/ or")
    assert said.endswith(
        f"(in the archive data.url={archive}: mend it, then delete {folder} to unpack"
        " it again)"
    )
    nothing_half_written(project)


# 7. Class names a terminal shows wider or narrower than their length.

WIDE = {"猫": 2, "🐶": 2, NFD[-1]: 0}  # CJK and emoji: two columns; an accent: none


def columns(line: str) -> int:
    return sum(WIDE.get(ch, 1) for ch in line)


def test_tables_of_class_names_line_up_on_a_terminal(golden_copy, tmp_path, capsys):
    project = golden_copy(FULL)
    photos = tmp_path / "photos"
    for name in ("猫", "🐶dog", NFD, "zero"):
        for number in range(5):
            png(photos / name / f"{number}.png", 40 + number)
    report = checked(["data=imagefolder", f"data.root={photos}", *SMALL], project)
    table = report[report.index("class ") :].splitlines()[:6]
    names = [line.split()[0] for line in table]
    assert names[0] == "class" and names[-1] == "total", table
    assert sorted(names[1:-1]) == sorted(["猫", "🐶dog", NFC, "zero"]), table
    assert len({columns(line) for line in table}) == 1, table  # one width: aligned


def test_the_closing_table_of_class_names_lines_up(golden_package, capsys):
    report = golden_package("lightning-unet-digit-canvas", "records.summary").report
    report("test", {f"test/iou/{name}": 0.5 for name in ("猫", "🐶dog", NFD, "zero")})
    table = capsys.readouterr().out.split("\n\n")[-1].splitlines()
    assert [line.split()[0] for line in table] == ["class", "猫", "🐶dog", NFD, "zero"]
    starts = {columns(line[: line.rindex(line.split()[-1])]) for line in table}
    assert len(starts) == 1, table  # the values start in one column
