"""Checks of a segmentation or detection dataset (check_data.py), framework-free: per
class and split, the boxes (detection) or the images showing it (segmentation), then
what reading the COCO files clipped, dropped or carved, and what deserves a look.

Fatal problems stopped the reading already (data/coco.py, data/coco_folder.py); these
are warnings: a class never seen in train (nothing to learn it from), a class never
seen in val or test (no score for it), a split smaller than one batch.
"""

import numpy as np

IGNORED = 255  # mask pixels no class is scored on (crowd regions)


def findings(arrays, targets: str, batch_size: int) -> dict:
    """{"counts": {split: {class: n}}, "notes": {...}, "warnings": [...]} of a
    CocoArrays (data/coco_folder.py) read with `targets` "masks" or "boxes"."""
    names = arrays.class_names
    counts, warnings = {}, []
    for split, (images, labels) in arrays.splits.items():
        per_class = np.zeros(len(names), dtype=np.int64)
        for label in labels:
            np.add.at(per_class, present(label, targets), 1)  # repeats each count
        counts[split] = dict(zip(names, map(int, per_class), strict=True))
        if batch_size != "auto" and len(images) < batch_size:  # auto: chosen later
            warnings.append(
                f"the {split} split has {len(images)} images, fewer than one batch"
                f" (data.batch_size={batch_size})"
            )
    what = "boxes" if targets == "boxes" else "images showing it"
    fixes = {
        "train": "the model cannot learn it",
        "val": "no score",
        "test": "no score",
    }
    for split, fix in fixes.items():
        missing = [n for n, count in counts.get(split, {}).items() if count == 0]
        if missing:
            warnings.append(
                f"classes with no {what} in {split}: {', '.join(missing[:5])}"
                f"{' ...' if len(missing) > 5 else ''} ({fix} for them)"
            )
    return {"counts": counts, "notes": arrays.notes, "warnings": warnings}


def present(label: np.ndarray, targets: str) -> np.ndarray:
    """The class indices one image's target holds: every box's class (repeats count),
    or each class its mask shows once."""
    if targets == "boxes":
        return label[:, 0].astype(np.int64)
    shown = np.unique(label)
    return shown[shown != IGNORED].astype(np.int64)


def note_lines(notes: dict) -> list[str]:
    """What reading found, a line each: per split, the clipped and dropped boxes, crowd
    regions and images without annotations; and the splits carved from train."""
    lines = []
    for key, found in notes.items():
        counted = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in found.items() if v)
        if counted:
            lines.append(f"{key.replace('_', ' ')}: {counted}")
    return lines
