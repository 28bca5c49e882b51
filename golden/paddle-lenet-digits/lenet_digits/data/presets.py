"""The named augmentations data.augment takes, as lists of ops in the names
torchvision.transforms.v2 and paddle.vision.transforms share. A preset with an op a
backend lacks is refused there, naming the presets that run.

And the names data.augment refuses whatever the backend has: ops that are no
augmentation of image tensors (ToTensor, Normalize, Compose...), in the same words on
both twins."""

from collections.abc import Sequence

from ..errors import UserError, did_you_mean

CONVERTS = "the ops take and give image tensors, normalised after them: leave it out"
HOLDS = "list the ops themselves, in order: data.augment takes no containers or code"
NOT_OPS = {  # refused before the backend's names: both twins say the same
    "MixUp": "set data.mixup instead",
    "CutMix": "set data.cutmix instead",
    "Normalize": "the images are normalised after the ops (data/registry.py's mean, std)",
    "Identity": "it changes nothing: leave it out (data.augment=none for no ops)",
    **dict.fromkeys(["ToTensor", "PILToTensor", "ToImage", "ToPureTensor"], CONVERTS),
    **dict.fromkeys(["ToPILImage", "ToDtype", "ConvertImageDtype"], CONVERTS),
    **dict.fromkeys(["Transpose", "Lambda", "Compose", "RandomApply"], HOLDS),
    **dict.fromkeys(["RandomChoice", "RandomOrder"], HOLDS),
    **dict.fromkeys(["Transform", "BaseTransform"], "the ops' base class: name an op"),
}


EXAMPLE = "[{RandomCrop: {size: 32, padding: 4}}, {RandomHorizontalFlip: {}}]"


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


def preset_ops(preset: str, size: int | None, available: Sequence[str]) -> list[dict]:
    """The ops of `preset` for images of `size` (None: only its name is checked, and
    no ops come back), or a UserError: no such preset, or one with an op the backend
    lacks (not in `available`)."""
    if preset not in PRESETS:
        raise UserError(
            f"data.augment={preset} is no preset.{did_you_mean(preset, PRESETS)}"
            f" Presets: {', '.join(PRESETS)}; or give a list of ops like {EXAMPLE}"
        )
    if not size:
        return []
    named = presets(size)
    lacking = [name for op in named[preset] for name in op if name not in available]
    if lacking:
        here = ", ".join(
            other
            for other, ops in named.items()
            if all(name in available for op in ops for name in op)
        )
        raise UserError(
            f"data.augment={preset} needs {lacking[0]}, which this backend lacks;"
            f" presets that run here: {here}; or give a list of ops like {EXAMPLE}"
        )
    return named[preset]
