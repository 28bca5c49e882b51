"""The files the project cases of `python -m bench adversary` name as {fx}/...: broken
checkpoints, config files of every wrong shape, folders of images and of things that are
not images, class folders to stream."""

import shutil
import sys
from pathlib import Path

from .adversary_project import OTHER, SUFFIX
from .runs import timed


def fixtures(fx: Path, twin: str, trained: Path) -> None:
    """The files the project cases name as {fx}/...: broken checkpoints, config files
    of every wrong shape, folders of images and of things that are not images."""
    import numpy as np
    from PIL import Image
    from sklearn.datasets import load_digits

    ext, checkpoints = (
        SUFFIX[twin],
        next((trained / twin / "runs").iterdir()) / "checkpoints",
    )
    best = (checkpoints / f"best{ext}").read_bytes()
    files = {
        f"text{ext}": b"not a checkpoint\n",
        f"empty{ext}": b"",
        f"half{ext}": best[: len(best) // 2],
        "afile": b"a plain file\n",
        "list.yaml": b"- 1\n- 2\n",
        "empty.yaml": b"",
        "binary.yaml": b"\x00\xff" * 64,
        "latin1.yaml": b"seed: 4\ndata:\n  root: d\xe9j\xe0\n",
        "unknown.yaml": b"foo: 1\n",
        "partial.yaml": b"seed: 1\n",
        "notimages/a.txt": b"text\n",
        "fakepng/a.png": b"not a png\n",
        "zeropng/a.png": b"",
    }
    if twin == "paddle":
        json_text = (checkpoints / "best.json").read_bytes()
        files |= {"half.json": json_text, "lonely.pdparams": best}
        files |= {"badjson.pdparams": best, "badjson.json": b"{not json"}
    for name, content in files.items():
        (fx / name).parent.mkdir(parents=True, exist_ok=True)
        (fx / name).write_bytes(content)
    for name in (f"ckptdir{ext}", "emptydir", "images", "rgb", "other"):
        (fx / name).mkdir()
    for path in next((trained / OTHER[twin] / "runs").iterdir()).glob(
        "checkpoints/best.*"
    ):
        shutil.copy(path, fx / "other")
    if twin == "lightning":  # a torch file that is no Lightning checkpoint
        save = f"import torch; torch.save({{'w': torch.zeros(2)}}, {str(fx / 'plain.ckpt')!r})"
        timed([sys.executable, "-c", save])
    digits = load_digits()
    for label in range(10):
        pixels = digits.images[list(digits.target).index(label)] * (255 / 16)
        Image.fromarray(pixels.astype(np.uint8)).save(fx / "images" / f"{label}.png")
    colour = np.random.default_rng(0).integers(0, 255, (64, 64, 3), dtype=np.uint8)
    Image.fromarray(colour).save(fx / "rgb" / "colour.png")
    image_folders(fx, digits, colour)


def image_folders(fx: Path, digits, colour) -> None:
    """Class folders for the streaming rows: PNGs, JPEGs, a not-image among PNGs, and
    train/ + val/ with a JPEG whose pixels are cut short behind a whole header."""
    import numpy as np
    from PIL import Image

    for index, label in enumerate(digits.target[:120]):
        pixels = (digits.images[index] * (255 / 16)).astype(np.uint8)
        name = ("zero", "one", "two")[label % 3]
        split = "val" if index % 5 == 0 else "train"
        for folder, suffix in (("classes", "png"), ("jpgs", "jpg"), ("fakes", "png")):
            (fx / folder / name).mkdir(parents=True, exist_ok=True)
            Image.fromarray(pixels).save(fx / folder / name / f"{index}.{suffix}")
        (fx / "broken" / split / name).mkdir(parents=True, exist_ok=True)
        Image.fromarray(pixels).save(fx / "broken" / split / name / f"{index}.png")
    (fx / "fakes" / "one" / "fake.png").write_bytes(b"not a png\n")
    Image.fromarray(colour).save(whole := fx / "whole.jpg", quality=90)
    cut = whole.read_bytes()[: whole.stat().st_size // 2]
    (fx / "broken" / "val" / "one" / "cut.jpg").write_bytes(cut)
    whole.unlink()
