"""Verification of a Paddle export: the exported model, fed through the manifest's
preprocessing (so a wrong mean or std in the manifest is caught), against the
checkpoint through the project's own path (uint8 into the trained paddle.Model, which
normalises inside), on the same real test images, at export.verify_batch_size. Every
output must agree within TOLERANCES, and the test metric recomputed through the export
must equal the checkpoint's within METRIC_POINTS. The record's keys are the Lightning
twin's."""

import sys

import numpy as np

from .onnx_runner import OnnxModel
from .postprocess import probabilities
from .preprocess import prepare
from .task import METRIC, Score, reference, saved_layer
from .writer import ExportFailed, PaddleInference

METRIC_POINTS = 0.1  # how far (in points: 0.001 of a 0..1 metric) the metrics may be
# (relative, absolute) differences allowed: |export - checkpoint| <= absolute + relative
# x the output's largest magnitude in the batch (float32 sums err with their size, so
# a logit near 0 beside large ones is held to the large ones' error); kernels differ
TOLERANCES = {"logits": (1e-3, 1e-4), "probabilities": (0.0, 1e-5)}
TOLERANCES |= {"boxes": (1e-3, 1e-2), "scores": (1e-3, 1e-4)}


class VerificationFailed(ExportFailed):
    """The export does not answer as its checkpoint: one line, exit code 1."""


def verify(model, folder, manifest: dict, batches, batch_size: int) -> dict:
    """`batches`: (uint8 images, targets) of the test split; the export runs them
    `batch_size` images at a time. The record for the manifest, or VerificationFailed
    naming the largest difference and where."""
    weights = saved_layer(model).state_dict().items()
    finite("weights", [(n, t.numpy()) for n, t in weights if t.is_floating_point()])
    exported = runner(folder, manifest)
    names = [output["name"] for output in manifest["outputs"]]
    ours = Score(manifest["class_names"], exported=False)
    theirs = Score(manifest["class_names"], exported=True)
    worst: dict[str, list] = {}  # output: [largest difference, where, all within]
    seen = 0
    for images, targets in batches:
        expected = reference(model, images)
        finite("outputs", list(zip(names, expected, strict=True)))
        chunks = [
            exported(prepare(images[i : i + batch_size], manifest["preprocess"]))
            for i in range(0, len(images), batch_size)
        ]
        got = [np.concatenate(parts) for parts in zip(*chunks, strict=True)]
        compare(
            dict(zip(names, expected, strict=True)),
            dict(zip(names, got, strict=True)),
            seen,
            worst,
        )
        ours.add(expected, targets)
        theirs.add(got, targets)
        seen += len(images)
    record = {"images": seen, "batch_size": batch_size, "metric": METRIC}
    record |= {"checkpoint": ours.value(), "export": theirs.value()}
    record["metric_tolerance_points"] = METRIC_POINTS
    record["largest_difference"] = {name: found[0] for name, found in worst.items()}
    record["tolerances"] = {name: TOLERANCES[name] for name in worst}
    check(record, worst)
    return record | {"passed": True}


def finite(what: str, arrays: list) -> None:
    """The checkpoint's `arrays` (name, array) are numbers: a NaN there (a run that
    diverged) compares as neither larger nor smaller, and would pass."""
    for name, array in arrays:
        if not np.isfinite(array).all():
            kind = "nan" if np.isnan(array).any() else "inf"
            raise VerificationFailed(
                f"verification failed: the checkpoint's {what} are not finite ({kind} in"
                f" {name}): its run diverged; export an earlier checkpoint, or train"
                " again (a lower optimizer.lr)"
            )


def check(record: dict, worst: dict) -> None:
    for name, (value, where, within) in worst.items():
        if not within:
            raise VerificationFailed(
                f"verification failed: the export's {name} differ from the"
                f" checkpoint's by up to {value:.3g} ({where}; allowed:"
                f" {TOLERANCES[name]} relative, absolute)"
            )
    if abs(record["checkpoint"] - record["export"]) * 100 > METRIC_POINTS:
        raise VerificationFailed(
            f"verification failed: {METRIC} is {record['export']:.4f} through the"
            f" export, {record['checkpoint']:.4f} through the checkpoint, on"
            f" {record['images']} test images (allowed: {METRIC_POINTS} point)"
        )


def compare(ours: dict, theirs: dict, start: int, worst: dict) -> None:
    """Keep, per output, its largest difference so far, where, and whether every one
    so far was within its tolerance; a classifier's probabilities are compared too."""
    if "logits" in ours and ours["logits"].ndim == 2:
        ours["probabilities"] = probabilities(ours["logits"])
        theirs["probabilities"] = probabilities(theirs["logits"])
    for name, expected in ours.items():
        value = theirs[name]
        if value.shape != expected.shape:
            where = f"shape {value.shape}, not {expected.shape}, at test image {start}"
            worst[name] = [float("inf"), where, False]
            continue
        difference = np.abs(value.astype(np.float64) - expected)
        difference[np.isnan(difference)] = np.inf  # the export's NaN: never within
        relative, absolute = TOLERANCES[name]
        allowed = absolute + relative * float(np.abs(expected).max())
        within = bool((difference <= allowed).all())
        at = np.unravel_index(difference.argmax(), difference.shape)
        where = f"test image {start + at[0]}, at {tuple(int(i) for i in at[1:])}"
        largest, _, all_within = worst.get(name, [-1.0, "", True])
        if difference.max() > largest:
            worst[name] = [float(difference.max()), where, all_within]
        worst[name][2] = all_within and within


def runner(folder, manifest: dict):
    """float32 images -> outputs, by ONNX Runtime or paddle.inference."""
    if manifest["format"] == "paddle":
        return PaddleInference(folder).run
    return OnnxModel(folder).run


def say_skipped() -> dict:
    print(
        "warning: export.verify=false: this export was NOT checked against its"
        " checkpoint",
        file=sys.stderr,
    )
    return {"skipped": "export.verify=false"}
