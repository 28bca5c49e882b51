"""A few validation images and what the network made of them, in TensorBoard after
each epoch (tensorboard --logdir runs, IMAGES, val/predictions): each image beside its
classes coloured over it (segmentation) or its boxes drawn, named and scored
(detection), as the Lightning twin shows them. What it sees, not only scores."""

import numpy as np
import paddle
from paddle.callbacks import Callback
from PIL import Image

from ..mask_pictures import picture
from .loggers import Logs

SHOWN = 4  # images per epoch


class PredictionBoard(Callback):
    def __init__(self, logs: Logs, val_split) -> None:
        """`val_split`: the validation batches (data/batches.py); its first SHOWN
        images are shown, uint8 (N, C, H, W) as the network takes them."""
        super().__init__()
        self.logs = logs
        self.images = val_split[np.arange(min(SHOWN, len(val_split)))][0]

    def on_eval_end(self, logs=None) -> None:
        shown = self.logs.events is not None and len(self.images)
        if shown and paddle.distributed.get_rank() == 0:
            names = self.model.data["class_names"]
            self.logs.picture("val/predictions", in_a_row(self.drawn(names)))

    def drawn(self, names: list[str]) -> list[Image.Image]:
        pictures = as_pictures(self.images)
        (logits,) = self.model.predict_batch([self.images])  # normalised in the model
        masks = logits.argmax(axis=1).astype(np.uint8)
        return [
            in_a_row([image, picture(image, mask, names)])
            for image, mask in zip(pictures, masks, strict=True)
        ]


def as_pictures(images: np.ndarray) -> list[Image.Image]:
    """uint8 (N, C, H, W), gray or RGB, as RGB pictures."""
    gray = images.shape[1] == 1
    return [
        Image.fromarray(image[0] if gray else image.transpose(1, 2, 0)).convert("RGB")
        for image in images
    ]


def in_a_row(pictures: list[Image.Image]) -> Image.Image:
    width, height = sum(p.width for p in pictures), max(p.height for p in pictures)
    row, left = Image.new("RGB", (width, height)), 0
    for part in pictures:
        row.paste(part, (left, 0))
        left += part.width
    return row
