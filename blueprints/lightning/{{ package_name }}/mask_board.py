"""A few validation images beside their predicted masks, in TensorBoard after each epoch:
what the network sees, not only its scores (tensorboard --logdir runs, IMAGES)."""

import torch
from pytorch_lightning.loggers import TensorBoardLogger

from .drawing import palette

SHOWN = 4  # images per epoch


def show_predictions(module, images: torch.Tensor, predicted: torch.Tensor) -> None:
    """`images` as the network took them (normalised), `predicted` a class per pixel."""
    trainer = module.trainer
    boards = [log for log in module.loggers if isinstance(log, TensorBoardLogger)]
    if not boards or trainer.sanity_checking or not trainer.is_global_zero:
        return
    data = module.hparams.data
    mean = torch.tensor(data["mean"], device=images.device).view(1, -1, 1, 1)
    std = torch.tensor(data["std"], device=images.device).view(1, -1, 1, 1)
    pictures = ((images[:SHOWN].float() * std + mean).clamp(0, 1) * 255).byte()
    pictures = pictures.expand(-1, 3, -1, -1)  # gray images as RGB
    colours = torch.from_numpy(palette(len(data["class_names"]))).to(images.device)
    masks = colours[predicted[:SHOWN].long()].permute(0, 3, 1, 2)
    side_by_side = torch.cat([pictures, masks], dim=3).cpu()
    boards[0].experiment.add_images(
        "val/predictions", side_by_side, module.current_epoch, dataformats="NCHW"
    )
