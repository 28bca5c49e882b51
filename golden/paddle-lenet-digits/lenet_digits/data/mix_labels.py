"""A mix's one class list (data.labels): shared, every source with the same class names,
mapped by name whatever their order; or disjoint, each source's classes one after another,
prefixed by the source ("mnist/3", "fashion_mnist/Bag").
"""

import numpy as np

from ..errors import UserError

SHOWN = 5  # class names a refusal lists, then how many more


def label_space(tags: list[str], parts: list[dict], mode: str):
    """The mix's class names, and per source an array mapping its labels into them."""
    if mode == "disjoint":
        names = [
            f"{tag}/{c}"
            for tag, part in zip(tags, parts, strict=True)
            for c in part["class_names"]
        ]
        offsets = np.cumsum([0, *(len(part["class_names"]) for part in parts)])
        maps = [
            np.arange(len(part["class_names"])) + offsets[i]
            for i, part in enumerate(parts)
        ]
        return names, maps
    names = parts[0]["class_names"]
    for tag, part in zip(tags[1:], parts[1:], strict=True):
        if set(part["class_names"]) != set(names):
            differ = difference(tag, part["class_names"], tags[0], names)
            raise UserError(
                f"data.labels=shared needs the same class names in every source:"
                f" {differ}; rename the classes to match, or set data.labels=disjoint"
            )
    maps = [np.array([names.index(c) for c in part["class_names"]]) for part in parts]
    return names, maps


def difference(tag: str, theirs: list, first: str, names: list) -> str:
    """What source `tag` has and lacks next to the `first` source's class names, each
    side said only when it holds a name."""
    has = [c for c in theirs if c not in names]
    lacks = [c for c in names if c not in theirs]
    said = [f"has {listed(has)}, which {first} lacks"] if has else []
    said += [f"lacks {listed(lacks)}, which {first} has"] if lacks else []
    return f"source {tag} " + ", and ".join(said)


def listed(names: list) -> str:
    """'class a', or 'classes a, b, c' and how many more past SHOWN."""
    more = f" and {len(names) - SHOWN} more" if len(names) > SHOWN else ""
    word = "class" if len(names) == 1 else "classes"
    return f"{word} {', '.join(map(str, names[:SHOWN]))}{more}"
