"""The datasets of a segmentation or detection project, by name, and the folder each is
read from.

Both are COCO files in one layout, read by data/coco_folder.py: <folder>/annotations/
train.json with its images in <folder>/train/, and val and test the same way (or carved
from train by data.val_fraction and data.test_fraction). digit_canvas writes itself
into data.root/digit_canvas/ on first use; coco is a folder of your own: data.root, or
an archive of it by URL (data.url, data.sha256) unpacked once under data.root.
"""

from pathlib import Path

from ..errors import UserError
from .archive_url import unpacked_archive
from .coco_folder import CocoArrays, load_coco_folder
from .digit_canvas import write_digit_canvas

DATASETS = {
    "digit_canvas": "scikit-learn's digits on 64x64 canvases, written on first use",
    "coco": "your images and COCO annotations in data.root",
}


def dataset_folder(cfg) -> Path:
    root = Path(cfg.root)
    if cfg.name == "digit_canvas":
        if cfg.url:
            raise UserError(
                f"data.url={cfg.url} names an archive of your own COCO folder (data=coco);"
                " data=digit_canvas is written here and needs none"
            )
        return root / "digit_canvas"
    if cfg.url:
        timeout = cfg.download_timeout
        return unpacked_archive(cfg.url, cfg.sha256, list(cfg.mirrors), root, timeout)
    return root


def prepare(cfg) -> None:
    """Before the run directory exists: the bundled dataset is written if missing, an
    archive by URL fetched and unpacked."""
    folder = dataset_folder(cfg)
    if cfg.name == "digit_canvas":
        write_digit_canvas(folder)


def load_coco(cfg, targets: str) -> CocoArrays:
    """Every split in memory, with a mask (targets="masks") or boxes ("boxes") per image."""
    return load_coco_folder(
        dataset_folder(cfg),
        cfg.image_size,
        cfg.channels,
        cfg.val_fraction,
        cfg.test_fraction,
        cfg.split_seed,
        targets,
    )
