"""What the test pass answered, kept for the run's report (reporting/report.py): a
callback asks the tested module again for each test batch's answers, and saves them
with a few test images to the run's test_outputs.npz."""

from pathlib import Path

import torch
from pytorch_lightning import Callback

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
        self.kept = TestOutputs("detection", names)

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
        self.kept.add_boxes(images, truth, found)

    def on_test_end(self, trainer, module) -> None:
        if trainer.is_global_zero:
            self.kept.save(self.run_dir)
