"""What the test pass answered, kept for the run's report (reporting/report.py): a
callback asks the tested module again for each test batch's answers, and saves them
with a few test images to the run's test_outputs.npz."""

from pathlib import Path

import numpy as np
import torch
from pytorch_lightning import Callback

from .instance_segmenter import MASK_THRESHOLD
from .reporting.boxes import SHOWN
from .reporting.test_outputs import TestOutputs, pictures

# Every box COCO's mAP scores (at most 100 an image), not only those predict.py shows
# (0.25 or more): the report's precision-recall curves run down to them.
SCORED, MOST = 0.001, 100


class TestAnswers(Callback):
    def __init__(self, run_dir: Path) -> None:
        self.run_dir = run_dir
        self.kept: TestOutputs | None = None

    def on_test_start(self, trainer, module) -> None:
        names = module.hparams.data["class_names"]
        self.kept = TestOutputs("instance_segmentation", names)

    @torch.no_grad()
    def on_test_batch_end(
        self, trainer, module, outputs, batch, batch_idx, dataloader_idx=0
    ) -> None:
        data = module.hparams.data
        images = pictures(batch[0].float().cpu().numpy(), data["mean"], data["std"])
        scale = torch.tensor([images.shape[2], images.shape[1]] * 2).to(batch[0])
        truth = [
            torch.cat([t["boxes"] / scale, t["labels"][:, None]], 1).cpu().numpy()
            for t in batch[1]
        ]
        answers = module.adapter.detect(batch[0], score_threshold=SCORED)
        found = [
            torch.cat(
                [a["boxes"] / scale, a["scores"][:, None], a["labels"][:, None]], 1
            )[:MOST]
            for a in answers
        ]
        found = [f.float().cpu().numpy() for f in found]
        self.kept.add_boxes(images, truth, found, objects_shown(answers))

    def on_test_end(self, trainer, module) -> None:
        if trainer.is_global_zero:
            self.kept.save(self.run_dir)


def objects_shown(answers: list[dict]) -> np.ndarray:
    """uint8 (N, H, W): 1 + the class of the object on each pixel (0: none), of the
    objects scoring SHOWN or more, the best painted last (on top)."""
    maps = []
    for answer in answers:
        shown = torch.zeros(answer["masks"].shape[-2:], dtype=torch.uint8)
        for index in reversed(torch.nonzero(answer["scores"] >= SHOWN)[:, 0].tolist()):
            mask = answer["masks"][index].cpu() >= MASK_THRESHOLD
            shown[mask] = int(answer["labels"][index]) + 1
        maps.append(shown.numpy())
    return np.stack(maps)
