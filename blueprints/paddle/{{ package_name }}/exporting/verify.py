"""Verification of a Paddle export: the exported model, fed through the manifest's
preprocessing (so a wrong mean or std in the manifest is caught), against the
checkpoint through the project's own path (uint8 into the trained paddle.Model), on the
same real test images, at a batch size other than export.batch_size. Every output must
agree within TOLERANCE of its largest value, and the test metric recomputed through
the export must equal the checkpoint's within METRIC_TOLERANCE."""

import sys

import numpy as np

from .artefact import ExportFailed, PaddleInference
from .onnx_runner import OnnxModel
from .preprocess import prepare
from .task import METRIC, Score, reference

TOLERANCE = 1e-4  # of an output's largest magnitude (at least 1)
METRIC_TOLERANCE = 0.001  # 0.1 point of a metric between 0 and 1


class VerificationFailed(ExportFailed):
    """The export does not compute what its checkpoint computes: exit 1, one line."""


def verify(model, folder, manifest: dict, batches, batch_size: int) -> dict:
    """`batches`: (uint8 images, targets) of the test split; the export runs them
    `batch_size` images at a time. The record for the manifest, or VerificationFailed.
    """
    exported = runner(folder, manifest)
    names = [output["name"] for output in manifest["outputs"]]
    ours = Score(manifest["class_names"], exported=False)
    theirs = Score(manifest["class_names"], exported=True)
    worst = {name: (0.0, 0.0, "") for name in names}  # (difference, allowed, where)
    images_seen = 0
    for images, targets in batches:
        expected = reference(model, images)
        chunks = [
            exported(prepare(images[i : i + batch_size], manifest["preprocess"]))
            for i in range(0, len(images), batch_size)
        ]
        got = [np.concatenate(parts) for parts in zip(*chunks, strict=True)]
        for name, want, have in zip(names, expected, got, strict=True):
            worst[name] = max(worst[name], difference(want, have, images_seen))
        ours.add(expected, targets)
        theirs.add(got, targets)
        images_seen += len(images)
    record = {
        "images": images_seen,
        "batch_size": batch_size,
        "outputs": {
            n: {"max_abs_diff": d, "tolerance": t} for n, (d, t, _) in worst.items()
        },
        "metric": METRIC,
        "checkpoint": ours.value(),
        "export": theirs.value(),
        "metric_tolerance": METRIC_TOLERANCE,
    }
    check(record, worst)
    return record | {"passed": True}


def check(record: dict, worst: dict) -> None:
    for name, (diff, allowed, where) in worst.items():
        if diff > allowed:
            raise VerificationFailed(
                f"verification failed: output {name} differs from the checkpoint's by {diff:.3g} (tolerance"
                f" {allowed:.3g}) at {where}"
            )
    gap = abs(record["export"] - record["checkpoint"])
    if gap > METRIC_TOLERANCE:
        raise VerificationFailed(
            f"verification failed: {METRIC} through the export is {record['export']:.4f}, the checkpoint's"
            f" {record['checkpoint']:.4f} (tolerance {METRIC_TOLERANCE})"
        )


def difference(want: np.ndarray, have: np.ndarray, first: int) -> tuple:
    """(largest |difference|, its tolerance, where: test image and index)."""
    if want.shape != have.shape:
        return float("inf"), 0.0, f"shape {list(have.shape)}, not {list(want.shape)}"
    gaps = np.abs(want.astype(np.float64) - have)
    at = np.unravel_index(
        int(np.nanargmax(np.nan_to_num(gaps, nan=np.inf))), gaps.shape
    )
    allowed = TOLERANCE * max(1.0, float(np.abs(want).max()))
    where = f"test image {first + int(at[0])}, index {list(map(int, at[1:]))}"
    return float(gaps[at]), allowed, where


def runner(folder, manifest: dict):
    """float32 images -> outputs, by ONNX Runtime or paddle.inference."""
    if manifest["format"] == "paddle":
        return PaddleInference(folder).run
    return OnnxModel(folder).run


def say_skipped() -> dict:
    print("warning: export.verify=false: the export was NOT verified", file=sys.stderr)
    return {"skipped": "export.verify=false"}
