"""A few validation images with what the network predicted, in TensorBoard after each
epoch (tensorboard --logdir runs, IMAGES): beside their masks of classes (segmentation),
or with their boxes drawn, named and scored (detection). What it sees, not only scores.
"""

import torch
from pytorch_lightning.loggers import TensorBoardLogger
from torchvision.utils import draw_bounding_boxes

from .drawing import palette

SHOWN = 4  # images per epoch
SHOWN_SCORE = 0.25  # boxes drawn: as predict.py's


def show_masks(module, images: torch.Tensor, predicted: torch.Tensor) -> None:
    """`images` as the network took them (normalised), `predicted` a class per pixel."""
    if (pictures := board_pictures(module, images)) is None:
        return
    colours = torch.from_numpy(palette(len(module.hparams.data["class_names"])))
    masks = colours.to(images.device)[predicted[:SHOWN].long()].permute(0, 3, 1, 2)
    add_images(module, torch.cat([pictures, masks.cpu()], dim=3))


def show_boxes(module, images: torch.Tensor, found: list[dict]) -> None:
    """`found`: per image {boxes (x1, y1, x2, y2 in pixels), scores, labels}."""
    if (pictures := board_pictures(module, images)) is None:
        return
    names = module.hparams.data["class_names"]
    colours = [tuple(map(int, c)) for c in palette(len(names) + 1)[1:]]
    drawn = []
    for picture, answer in zip(pictures, found, strict=False):
        shown = answer["scores"] >= SHOWN_SCORE
        boxes, scores = answer["boxes"][shown].float().cpu(), answer["scores"][shown]
        classes = answer["labels"][shown].long().tolist()
        labels = [f"{names[c]} {s:.2f}" for c, s in zip(classes, scores, strict=True)]
        colour = [colours[c] for c in classes]
        if not classes:  # torchvision warns at an empty list: the picture as it is
            drawn.append(picture)
            continue
        drawn.append(draw_bounding_boxes(picture, boxes, labels, colour))
    add_images(module, torch.stack(drawn))


def board_pictures(module, images: torch.Tensor) -> torch.Tensor | None:
    """The first SHOWN images as uint8 RGB on the CPU, or None where nothing is shown:
    no TensorBoard logger, the sanity check, or a process other than the first."""
    trainer = module.trainer
    boards = [log for log in module.loggers if isinstance(log, TensorBoardLogger)]
    if not boards or trainer.sanity_checking or not trainer.is_global_zero:
        return None
    data = module.hparams.data
    mean = torch.tensor(data["mean"], device=images.device).view(1, -1, 1, 1)
    std = torch.tensor(data["std"], device=images.device).view(1, -1, 1, 1)
    pictures = ((images[:SHOWN].float() * std + mean).clamp(0, 1) * 255).byte()
    return pictures.expand(-1, 3, -1, -1).cpu()  # gray images as RGB


def add_images(module, pictures: torch.Tensor) -> None:
    board = next(log for log in module.loggers if isinstance(log, TensorBoardLogger))
    board.experiment.add_images(
        "val/predictions", pictures, module.current_epoch, dataformats="NCHW"
    )
