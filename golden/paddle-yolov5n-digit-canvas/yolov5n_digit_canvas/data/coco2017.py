"""`coco2017`: COCO 2017's 80 categories (boxes, polygon and RLE masks), from the
official zips (19 GB), downloaded into data.root and arranged once in data.root/coco2017/
as the layout data/coco_folder.py reads:

    annotations/train.json   instances_train2017.json   train/   train2017.zip's 118,287
    annotations/val.json     instances_val2017.json     val/     val2017.zip's 5,000

COCO's test images have no public annotations: test is carved from train by
data.test_fraction. Each zip is unpacked into a scratch folder and renamed into place when
whole; once all three are in place the zips are no longer read (delete them to free
19 GB). Offline: put train2017.zip, val2017.zip and annotations_trainval2017.zip in
data.root. cocodataset.org publishes no checksums: the MD5s below are those that
PaddleDetection (ppdet/utils/download.py) and others check the official files against.
"""

import shutil
from pathlib import Path

from ..errors import UserError
from .archives import unpack
from .download import ensure_files, mirror_bases
from .folder_lock import locked_folder

ZIPS = {  # name: (the folder it gives, its folder on the official hosts, MD5)
    "annotations_trainval2017.zip": (
        "annotations",
        "annotations/",
        "f4bbac642086de4f52a3fdda2de5fa2c",
    ),
    "val2017.zip": ("val", "zips/", "442b8da7639aecaf257c1dceb8ba8c80"),
    "train2017.zip": ("train", "zips/", "cced6f7f71b7629ddf16f17bbcfab6b2"),
}
HOSTS = [  # the official host, and the same files over https from its S3 bucket
    "http://images.cocodataset.org/",
    "https://s3.amazonaws.com/images.cocodataset.org/",
]
SPLITS = ("train", "val")
FOLDER = "coco2017"  # in data.root


def download_coco2017(cfg) -> Path:
    """data.root/coco2017, each of its folders downloaded and unpacked where missing."""
    root = Path(cfg.root)
    folder = root / FOLDER
    missing = {name: e for name, e in ZIPS.items() if not (folder / e[0]).is_dir()}
    files = {}
    for name, (_, place, md5) in missing.items():
        bases = mirror_bases(list(cfg.mirrors), [host + place for host in HOSTS])
        files[name] = (md5 if cfg.verify_checksums else None, [b + name for b in bases])
    ensure_files(root, files, cfg.download_timeout)
    for name, (target, _, _) in missing.items():
        with locked_folder(folder):
            if not (folder / target).is_dir():  # another process may have done it
                print(f"unpacking {root / name} into {folder / target}", flush=True)
                arrange = unpack_annotations if target == "annotations" else unpack
                arrange(root / name, folder / target)
    return folder


def unpack_annotations(archive: Path, target: Path) -> None:
    """annotations/{train,val}.json from the zip's instances_{train,val}2017.json (its
    captions and keypoints are not kept)."""
    scratch = target.with_name(f".{target.name}.part")
    unpack(archive, scratch)  # the content of the zip's one folder, annotations/
    for split in SPLITS:
        instances = scratch / f"instances_{split}2017.json"
        if not instances.is_file():
            raise UserError(
                f"{archive} holds no annotations/{instances.name}; delete it to"
                " download it again"
            )
        instances.replace(scratch / f"{split}.json")
    for other in scratch.iterdir():
        if other.name not in {f"{split}.json" for split in SPLITS}:
            shutil.rmtree(other) if other.is_dir() else other.unlink()
    scratch.rename(target)
