"""The export checked against its checkpoint (export.verify): both answer the same test
images, the export through its manifest's preprocessing (so a wrong mean or std there
shows), the checkpoint through the project's own (data/normalize.py). Every output must
agree within TOLERANCES, and the test metric through each within 0.1 point."""

import numpy as np
import torch

from ..data.normalize import normalize
from .preprocess import prepare
from .detections import checkpoint_answers, export_answers, score

METRIC = "test/map50"
METRIC_POINTS = 0.1  # how far (in points: 0.001 of a 0..1 metric) the metrics may be
# (relative, absolute) differences allowed: |export - checkpoint| <= absolute + relative
# x the output's largest magnitude in the batch (float32 sums err with their size, so
# a logit near 0 beside large ones is held to the large ones' error); kernels differ
TOLERANCES = {"logits": (1e-3, 1e-4), "probabilities": (0.0, 1e-5)}
TOLERANCES |= {"boxes": (1e-3, 1e-2), "scores": (1e-3, 1e-4), "masks": (0.0, 1e-3)}
TOLERANCES["labels"] = (0.0, 0.0)


class VerificationFailed(Exception):
    """The export does not answer as its checkpoint: one line, exit code 1."""


@torch.no_grad()
def verify(model, network, run, preprocess: dict, test, batch_size: int) -> dict:
    """Compare `run` (the export: float32 batch to its outputs) with `network` on the
    test `(images, targets)`, `batch_size` images at a time; the findings for the
    manifest, or VerificationFailed naming the largest difference and where."""
    images, targets = test
    weights = [(n, t) for n, t in network.state_dict().items() if t.is_floating_point()]
    finite("weights", [(name, tensor.float().numpy()) for name, tensor in weights])
    mean, std = normalisation(model)  # the checkpoint's own, not the manifest's
    answers = {"checkpoint": [], "export": []}
    worst: dict[str, list] = {}  # output: [largest difference, where, all within]
    for start in range(0, len(images), batch_size):
        batch = images[start : start + batch_size]
        ours = checkpoint_answers(model, network, normalize(batch, mean, std))
        finite("outputs", [(n, a) for n, a in ours.items() if n != "objects"])
        theirs = export_answers(run(prepare(batch.numpy(), preprocess)))
        compare(ours, theirs, start, worst)
        answers["checkpoint"].append(ours)
        answers["export"].append(theirs)
    scores = {who: score(model, found, targets) for who, found in answers.items()}
    report = {"images": len(images), "batch_size": batch_size, "metric": METRIC}
    report |= {"checkpoint": scores["checkpoint"], "export": scores["export"]}
    report["metric_tolerance_points"] = METRIC_POINTS
    report["largest_difference"] = {name: found[0] for name, found in worst.items()}
    report["tolerances"] = {name: TOLERANCES[name] for name in worst}
    for name, (value, where, within) in worst.items():
        if not within:
            raise VerificationFailed(
                f"the export's {name} differ from the checkpoint's by up to {value:.3g}"
                f" ({where}; allowed: {TOLERANCES[name]} relative, absolute)"
            )
    if abs(scores["checkpoint"] - scores["export"]) * 100 > METRIC_POINTS:
        raise VerificationFailed(
            f"{METRIC} is {scores['export']:.4f} through the export,"
            f" {scores['checkpoint']:.4f} through the checkpoint, on {len(images)} test"
            f" images (allowed: {METRIC_POINTS} point)"
        )
    return report | {"passed": True}


def finite(what: str, arrays: list) -> None:
    """The checkpoint's `arrays` (name, array) are numbers: a NaN there (a run that
    diverged) compares as neither larger nor smaller, and would pass."""
    for name, array in arrays:
        if not np.isfinite(array).all():
            kind = "nan" if np.isnan(array).any() else "inf"
            raise VerificationFailed(
                f"the checkpoint's {what} are not finite ({kind} in {name}): its run"
                " diverged; export an earlier checkpoint, or train again (a lower"
                " optimizer.lr)"
            )


def normalisation(model) -> tuple[list, list]:
    """The mean and std the checkpoint's images are normalised with, as predict.py's."""
    return model.hparams["data"]["mean"], model.hparams["data"]["std"]


def compare(ours: dict, theirs: dict, start: int, worst: dict) -> None:
    """Keep, per output, its largest difference so far, where, and if every one so
    far was within its tolerance."""
    for name in [name for name in theirs if name != "objects"]:  # objects: scored
        value, expected = theirs[name], ours[name]
        if value.shape != expected.shape:
            where = f"shape {value.shape}, not {expected.shape}, at test image {start}"
            worst[name] = [float("inf"), where, False]
            continue
        difference = np.abs(value.astype(np.float64) - expected)
        difference[np.isnan(difference)] = np.inf  # the export's NaN: never within
        if not difference.size:  # no object found by either
            continue
        relative, absolute = TOLERANCES[name]
        allowed = absolute + relative * float(np.abs(expected).max())
        within = bool((difference <= allowed).all())
        at = np.unravel_index(difference.argmax(), difference.shape)
        where = f"test image {start + at[0]}, at {tuple(int(i) for i in at[1:])}"
        largest, _, all_within = worst.get(name, [-1.0, "", True])
        if difference.max() > largest:
            worst[name] = [float(difference.max()), where, all_within and within]
        worst[name][2] = all_within and within
