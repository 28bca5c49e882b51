"""`imagefolder`: your own images, one sub-folder per class, under data.root.

    data.root/train/<class>/*.png  (and any of val/, test/ beside train/), or
    data.root/<class>/*.jpg        (one folder: val and test are carved from it)

Files and folders whose names start with "." are skipped (.DS_Store, macOS's ._ files);
so are files that are not images by their suffix. A broken link named like an image is
not skipped in silence: it is unreadable, as a damaged image is (data.skip_corrupt).
Class names are read in Unicode NFC (listing.class_name): a val/ folder copied from a
Mac names the same class as train/'s.
"""

from pathlib import Path

from ..errors import UserError
from .archive_url import mended_by_unpacking_again, unpacked_archive
from .arrays import Arrays
from .decode import SUFFIXES
from .listing import SPLITS, Listed, class_name, load_listed

LAYOUT = "class sub-folders (or train/, val/, test/ holding them)"


def images_root(cfg) -> Path:
    """The folder of images: data.root, or the archive data.url unpacked under it."""
    return archive_folder(cfg) if cfg.url else Path(cfg.root)


def archive_folder(cfg) -> Path:
    """data.url's archive, fetched (from data.mirrors first), checked against
    data.sha256 and unpacked once under data.root; later runs reuse the folder."""
    mirrors, timeout = list(cfg.mirrors), cfg.download_timeout
    return unpacked_archive(cfg.url, cfg.sha256, mirrors, Path(cfg.root), timeout)


def download(info, cfg) -> None:
    """Nothing to download: the layout is checked now, before a run directory exists."""
    root = images_root(cfg)
    with mended_by_unpacking_again(cfg.url, root):
        class_files(root)


def load(info, cfg) -> Arrays:
    root = images_root(cfg)
    with mended_by_unpacking_again(cfg.url, root):
        listed = class_files(root)
    return load_listed(listed, f"data.root={root}", cfg)


def class_files(root: Path) -> Listed:
    """{split: [(file, class name)]} for the splits the folder has."""
    if not root.is_dir():
        raise UserError(f"data.root={root}: no such folder; it should hold {LAYOUT}")
    splits = [s for s in SPLITS if (root / s).is_dir()]
    if splits and "train" not in splits:
        raise UserError(f"data.root={root} has {'/, '.join(splits)}/ but no train/")
    folders = (
        {s: visible(root / s) for s in splits} if splits else {"train": visible(root)}
    )
    if not folders["train"]:
        raise UserError(
            f"data.root={root} holds no class folders: it should hold {LAYOUT}"
        )
    names = {class_name(folder.name) for folder in folders["train"]}
    if len(names) < 2:
        raise UserError(
            f"data.root={root}: only one class ({names.pop()}); a classifier needs two"
            " or more class folders"
        )
    listed = {}
    for split, classes in folders.items():
        listed[split] = []
        for folder in classes:
            name = class_name(folder.name)
            if name not in names:
                raise UserError(
                    f"{folder}: class '{name}' has no folder in train/; add it"
                    " there or remove this one"
                )
            files = [f for f in sorted(folder.rglob("*")) if is_image(f, folder)]
            if not files:
                kinds = ", ".join(sorted(SUFFIXES))
                raise UserError(f"{folder}: empty class folder (no {kinds} files)")
            listed[split] += [(f, name) for f in files]
    return listed


def visible(folder: Path) -> list[Path]:
    """The class folders in `folder`. Two whose names differ only in how Unicode writes
    them (macOS writes "é" as "e" + an accent, NFD; Linux and Windows keep "é", NFC)
    are refused, not merged: merging would join the files of two folders the user sees
    as two, and keeping both would make two classes that print alike."""
    found = sorted(
        p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")
    )
    first_of: dict[str, Path] = {}
    for path in found:
        if (first := first_of.setdefault(class_name(path.name), path)) != path:
            raise UserError(
                f"{first} and {path} are one class name written two ways in Unicode"
                f" ({first.name!a} and {path.name!a}: macOS writes accents"
                " apart): move the files of one into the other, or rename one"
            )
    return found


def is_image(path: Path, top: Path) -> bool:
    """An image by its suffix, not hidden; a broken link counts (it is reported)."""
    hidden = any(part.startswith(".") for part in path.relative_to(top).parts)
    there = path.is_file() or (path.is_symlink() and not path.exists())
    return path.suffix.lower() in SUFFIXES and there and not hidden
