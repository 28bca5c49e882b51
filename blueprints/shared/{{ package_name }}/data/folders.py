"""`imagefolder`: your own images, one sub-folder per class, under data.root.

    data.root/train/<class>/*.png  (and any of val/, test/ beside train/), or
    data.root/<class>/*.jpg        (one folder: val and test are carved from it)

Files and folders whose names start with "." are skipped (.DS_Store, macOS's ._ files);
so are files that are not images by their suffix.
"""

from pathlib import Path

from ..errors import UserError
from .archive_url import unpacked_archive
from .arrays import Arrays
from .decode import SUFFIXES
from .listing import SPLITS, Listed, load_listed

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
    class_files(images_root(cfg))


def load(info, cfg) -> Arrays:
    root = images_root(cfg)
    return load_listed(class_files(root), f"data.root={root}", cfg)


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
    names = {folder.name for folder in folders["train"]}
    if len(names) < 2:
        raise UserError(
            f"data.root={root}: only one class ({names.pop()}); a classifier needs two"
            " or more class folders"
        )
    listed = {}
    for split, classes in folders.items():
        listed[split] = []
        for folder in classes:
            if folder.name not in names:
                raise UserError(
                    f"{folder}: class '{folder.name}' has no folder in train/; add it"
                    " there or remove this one"
                )
            files = [f for f in sorted(folder.rglob("*")) if is_image(f, folder)]
            if not files:
                kinds = ", ".join(sorted(SUFFIXES))
                raise UserError(f"{folder}: empty class folder (no {kinds} files)")
            listed[split] += [(f, folder.name) for f in files]
    return listed


def visible(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")
    )


def is_image(path: Path, top: Path) -> bool:
    hidden = any(part.startswith(".") for part in path.relative_to(top).parts)
    return path.suffix.lower() in SUFFIXES and path.is_file() and not hidden
