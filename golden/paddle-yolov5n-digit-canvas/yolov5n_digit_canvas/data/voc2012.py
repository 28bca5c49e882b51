"""`voc2012`: Pascal VOC 2012's train and val images of 20 classes, with their boxes
(ImageSets/Main: 5,717 + 5,823 images) and class masks (ImageSets/Segmentation: 1,464 +
1,449), read by data/voc_folder.py. The official tar (1.9 GB) is downloaded into
data.root, checked against its MD5 and unpacked once to data.root/VOCdevkit/VOC2012/,
where torchvision puts it too, so an earlier download is reused. Offline: put
VOCtrainval_11-May-2012.tar (or its unpacked VOCdevkit/ folder) in data.root.
"""

from pathlib import Path

from .archives import ensure_unpacked
from .download import ensure_files, mirror_bases

ARCHIVE = "VOCtrainval_11-May-2012.tar"
MD5 = "6cd6e144f989b92b3379bac3b3de84fd"  # the official tar's (torchvision checks it)
HOSTS = [  # tried after data.mirrors and $DATA_MIRRORS: the official host, a mirror
    "http://host.robots.ox.ac.uk/pascal/VOC/voc2012/",
    "https://pjreddie.com/media/files/",
]
FOLDER = "VOCdevkit/VOC2012"  # in data.root
NEEDED = [f"VOC2012/ImageSets/{kind}/train.txt" for kind in ("Main", "Segmentation")]


def download_voc2012(cfg) -> Path:
    """data.root/VOCdevkit/VOC2012, downloaded and unpacked where missing."""
    root = Path(cfg.root)
    devkit = root / "VOCdevkit"
    if not all((devkit / name).is_file() for name in NEEDED):
        md5 = MD5 if cfg.verify_checksums else None
        urls = [base + ARCHIVE for base in mirror_bases(list(cfg.mirrors), HOSTS)]
        ensure_files(root, {ARCHIVE: (md5, urls)}, cfg.download_timeout)
        ensure_unpacked(root / ARCHIVE, devkit, dict.fromkeys(NEEDED))
    return devkit / "VOC2012"
