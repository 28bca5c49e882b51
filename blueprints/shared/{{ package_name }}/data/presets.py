"""The named augmentations data.augment takes, as lists of ops in the names
torchvision.transforms.v2 and paddle.vision.transforms share. A preset with an op a
backend lacks is refused there, naming the presets that run (data/ops.py)."""


def presets(size: int) -> dict[str, list[dict]]:
    """Each preset's ops for images of `size` x `size`."""
    return {
        "none": [],
        "cifar": [
            {"RandomCrop": {"size": size, "padding": 4, "padding_mode": "reflect"}},
            {"RandomHorizontalFlip": {}},
        ],
        "imagenet": [
            {"RandomResizedCrop": {"size": size}},
            {"RandomHorizontalFlip": {}},
            {"ColorJitter": {"brightness": 0.4, "contrast": 0.4, "saturation": 0.4}},
        ],
        "randaugment": [{"RandAugment": {}}],
        "trivialaugment": [{"TrivialAugmentWide": {}}],
        "autoaugment": [{"AutoAugment": {}}],
    }


PRESETS = tuple(presets(1))
