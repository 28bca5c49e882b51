"""The datasets of a segmentation or detection project, by name, and the folder each is
read from.

COCO files in one layout, read by data/coco_folder.py: <folder>/annotations/train.json
with its images in <folder>/train/, and val and test the same way (or carved from train
by data.val_fraction and data.test_fraction). digit_canvas writes itself into
data.root/digit_canvas/ on first use; coco2017 downloads itself (data/coco2017.py);
coco is a folder of your own: data.root, or an archive of it by URL (data.url,
data.sha256) unpacked once under data.root. Pascal VOC folders are read by
data/voc_folder.py: voc2012 downloads itself (data/voc2012.py), voc is your own, in
data.root or by URL as coco.
"""

from pathlib import Path

from ..errors import UserError
from . import coco2017, voc2012
from .archive_url import mended_by_unpacking_again, unpacked_archive
from .coco_folder import CocoArrays, load_coco_folder
from .digit_canvas import write_digit_canvas
from .voc import CLASSES
from .voc_folder import LAYOUT, load_voc_folder

DATASETS = {
    "digit_canvas": "scikit-learn's digits on 64x64 canvases, written on first use",
    "coco": "your images and COCO annotations in data.root",
    "coco2017": "COCO 2017's 80 categories, downloaded into data.root (19 GB)",
    "voc": "your Pascal VOC folder (VOC2012's layout) in data.root",
    "voc2012": "Pascal VOC 2012's 20 classes, downloaded into data.root (1.9 GB)",
}
DOWNLOADED = {  # name: (its folder in data.root, what downloads it)
    "coco2017": (coco2017.FOLDER, coco2017.download_coco2017),
    "voc2012": (voc2012.FOLDER, voc2012.download_voc2012),
}
OWN = {"digit_canvas": "COCO", "coco2017": "COCO", "voc2012": "VOC"}  # not by URL


def dataset_folder(cfg) -> Path:
    root = Path(cfg.root)
    if cfg.name in OWN and cfg.url:
        kind = OWN[cfg.name]
        how = "has its own hosts: give a mirror as data.mirrors=[URL]"
        how = "is written here and needs none" if cfg.name == "digit_canvas" else how
        raise UserError(
            f"data.url={cfg.url} names an archive of your own {kind} folder"
            f" (data={kind.lower()}); data={cfg.name} {how}"
        )
    if cfg.name == "digit_canvas":
        return root / "digit_canvas"
    if cfg.name in DOWNLOADED:
        return root / DOWNLOADED[cfg.name][0]
    if cfg.url:
        timeout = cfg.download_timeout
        root = unpacked_archive(cfg.url, cfg.sha256, list(cfg.mirrors), root, timeout)
    with mended_by_unpacking_again(cfg.url, root):  # an archive of the wrong shape
        return voc_folder(root) if cfg.name == "voc" else root


def voc_folder(root: Path) -> Path:
    """The VOC folder in `root`: itself, root/VOC2012 or root/VOCdevkit/VOC2012."""
    for folder in (root, root / "VOC2012", root / "VOCdevkit" / "VOC2012"):
        if (folder / "ImageSets").is_dir():
            return folder
    raise UserError(
        f"{root} holds no VOC folder (itself, VOC2012/ or VOCdevkit/VOC2012/ with"
        f" {LAYOUT}); place your VOC2012 folder there or point data.root at it"
    )


def prepare(cfg) -> None:
    """Before the run directory exists: the bundled dataset is written if missing, a
    catalog dataset downloaded and unpacked, an archive by URL fetched and unpacked."""
    folder = dataset_folder(cfg)
    if cfg.name == "digit_canvas":
        write_digit_canvas(folder)
    elif cfg.name in DOWNLOADED:
        DOWNLOADED[cfg.name][1](cfg)


def load_coco(cfg, targets: str) -> CocoArrays:
    """Every split in memory, with a mask (targets="masks") or boxes ("boxes") per image."""
    folder = dataset_folder(cfg)
    if cfg.name in ("voc", "voc2012"):
        classes = cfg.get("classes") or CLASSES  # voc: data.classes, null: VOC's
        return load_voc_folder(folder, cfg, targets, list(classes))
    return load_coco_folder(
        folder,
        cfg.image_size,
        cfg.channels,
        cfg.val_fraction,
        cfg.test_fraction,
        cfg.split_seed,
        targets,
    )
