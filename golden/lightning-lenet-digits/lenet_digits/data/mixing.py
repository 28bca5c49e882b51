"""Mixing pairs of training images, MixUp or CutMix, with soft labels to match
(torch.nn.functional.cross_entropy takes them as they are), and random erasing."""

import torch
from torchvision.transforms import v2


def mixing(mixup: float, cutmix: float, num_classes: int):
    """(images, labels) -> (mixed images, soft labels); with both on, each batch draws
    one of them. None when both are 0."""
    mixes = []
    if mixup > 0:
        mixes.append(v2.MixUp(alpha=mixup, num_classes=num_classes))
    if cutmix > 0:
        mixes.append(v2.CutMix(alpha=cutmix, num_classes=num_classes))
    return v2.RandomChoice(mixes) if mixes else None


def erasing(probability: float):
    """Each normalised image erased (set to 0, the data's mean) in one random rectangle
    with `probability`; image by image, so each draws its own rectangle. None at 0."""
    if probability == 0:
        return None
    erase = v2.RandomErasing(p=probability)
    return lambda images: torch.stack([erase(image) for image in images])
