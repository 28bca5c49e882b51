"""`imagenet`: ILSVRC2012 (1,000 classes) from the official files, which have no public
download: put them in data.root yourself (https://image-net.org/download-images).

    ILSVRC2012_img_train.tar  ILSVRC2012_img_val.tar  ILSVRC2012_devkit_t12.tar.gz

The first run unpacks them once into data.root/imagenet/: train/<wnid>/*.JPEG from the
training tar, test/<wnid>/*.JPEG from the validation tar (its labels are in the devkit),
and then reads that folder as imagefolder does (validation carved from train). It is
unpacked into imagenet.part/ and renamed when whole, so a stopped run starts it again.
Only plain JPEG files are written, under names checked first: an archive cannot place a
file elsewhere or plant a link.
"""

import re
import shutil
import tarfile
from pathlib import Path

from ..errors import UserError
from .arrays import Arrays
from .folders import class_files
from .listing import load_listed

ARCHIVES = {
    "train": "ILSVRC2012_img_train.tar",
    "val": "ILSVRC2012_img_val.tar",
    "devkit": "ILSVRC2012_devkit_t12.tar.gz",
}
SITE = "https://image-net.org/download-images"
IMAGE = re.compile(r"[\w-]+\.JPEG")  # a plain file name: no folder, no way out
WNID = re.compile(r"n\d{8}")


def download(info, cfg) -> None:
    """Nothing can be downloaded: unpack the official files once, or name those missing."""
    root = Path(cfg.root)
    if (root / "imagenet").is_dir():
        return
    missing = [name for name in ARCHIVES.values() if not (root / name).is_file()]
    if missing:
        raise UserError(
            f"data.root={root} lacks {', '.join(missing)}: ImageNet has no public"
            f" download; get them from {SITE} and put them in {root}/"
        )
    part = root / "imagenet.part"
    shutil.rmtree(part, ignore_errors=True)  # what a stopped run left
    wnids = validation_labels(root / ARCHIVES["devkit"])
    print(f"unpacking ImageNet into {root / 'imagenet'} (once)", flush=True)
    try:
        unpack(root, part, wnids)
    except (tarfile.TarError, EOFError, IndexError) as error:
        shutil.rmtree(part, ignore_errors=True)
        raise UserError(
            f"the ImageNet archives in {root} are damaged ({error}); get them again"
            f" from {SITE}"
        ) from None
    part.rename(root / "imagenet")


def unpack(root: Path, part: Path, wnids: list[str]) -> None:
    """train/<wnid>/ from the training tar (a tar per class), test/<wnid>/ from the
    validation tar; read as streams, so nothing is unpacked twice."""
    with tarfile.open(root / ARCHIVES["train"], "r|") as outer:
        for member in outer:
            wnid = member.name.removesuffix(".tar")
            if member.isfile() and WNID.fullmatch(wnid):
                stream = outer.extractfile(member)
                with tarfile.open(fileobj=stream, mode="r|") as inner:
                    write_images(inner, lambda name, wnid=wnid: part / "train" / wnid)
    with tarfile.open(root / ARCHIVES["val"], "r|") as val:
        write_images(val, lambda name: part / "test" / wnids[number(name) - 1])


def load(info, cfg) -> Arrays:
    folder = Path(cfg.root) / "imagenet"
    return load_listed(class_files(folder), f"data.root={folder}", cfg)


def write_images(archive: tarfile.TarFile, folder_of) -> None:
    """Each plain JPEG file of `archive` to folder_of(its name)/its name."""
    for member in archive:
        if not (member.isfile() and IMAGE.fullmatch(member.name)):
            continue
        folder = folder_of(member.name)
        folder.mkdir(parents=True, exist_ok=True)
        with (
            archive.extractfile(member) as source,
            open(folder / member.name, "wb") as f,
        ):
            shutil.copyfileobj(source, f)


def number(name: str) -> int:
    """ILSVRC2012_val_00000042.JPEG -> 42"""
    return int(name.rsplit("_", 1)[1].split(".")[0])


def validation_labels(devkit: Path) -> list[str]:
    """The wnid of each validation image, in file-number order, from the devkit:
    data/meta.mat maps the ILSVRC ids (1..1000) to wnids, and
    data/ILSVRC2012_validation_ground_truth.txt gives each image's id."""
    from scipy.io import loadmat  # installed with scikit-learn

    try:
        with tarfile.open(devkit) as archive:
            names = {Path(m.name).name: m for m in archive.getmembers()}
            meta = loadmat(archive.extractfile(names["meta.mat"]), squeeze_me=True)
            truth = archive.extractfile(names["ILSVRC2012_validation_ground_truth.txt"])
            ids = [int(line) for line in truth.read().split()]
    except (tarfile.TarError, KeyError, ValueError, OSError) as error:
        raise UserError(f"{devkit} is not the ILSVRC2012 devkit ({error})") from None
    leaves = [s for s in meta["synsets"] if int(s["num_children"]) == 0]
    wnid_of_id = {int(s["ILSVRC2012_ID"]): str(s["WNID"]) for s in leaves}
    return [wnid_of_id[i] for i in ids]
