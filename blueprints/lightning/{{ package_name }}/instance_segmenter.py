"""The LightningModule of instance segmentation: Mask R-CNN trained on each object's
box, class and mask, scored by COCO's mean average precision of the masks (val/map,
val/map50, val/map75) and of the boxes (val/map_box, val/map50_box, val/map75_box);
the test adds each class's AP as test/ap/<class> and test/ap_box/<class>."""

import torch

from .detector import Detector

MASK_THRESHOLD = 0.5  # a pixel belongs to an object when its probability reaches this


class InstanceSegmenter(Detector):
    SCORED = ("segm", "bbox")
    NAMES = (("segm_", ""), ("bbox_", "_box"))

    def scored(self, objects: list[dict]) -> list[dict]:
        """The masks as the metric wants them: True on the object."""
        return [
            {**found, "masks": found["masks"] >= MASK_THRESHOLD} for found in objects
        ]

    def predict_step(self, batch, batch_idx):
        """Each image's objects scoring 0.25 or more: {boxes: x1, y1, x2, y2 as shares
        of the image's width and height, scores, labels, masks: uint8 (k, H, W) at the
        network's size, 1 on the object}."""
        images = batch[0] if isinstance(batch, (list, tuple)) else batch
        scale = torch.tensor([images.shape[-1], images.shape[-2]] * 2).to(images)
        found = self.adapter.detect(images, score_threshold=0.25)
        return [
            {
                "boxes": objects["boxes"] / scale,
                "scores": objects["scores"],
                "labels": objects["labels"],
                "masks": (objects["masks"] >= MASK_THRESHOLD).to(torch.uint8),
            }
            for objects in found
        ]
