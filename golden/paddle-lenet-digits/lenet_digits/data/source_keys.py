"""Which keys of a mix's source are its own, and its errors in their names: a source's
data.csv is data.sources[i].csv on the command line (data.csv is no key of a mix)."""

import re
from contextlib import contextmanager
from pathlib import Path

from ..errors import UserError

# What a source takes from the mix unless it sets its own.
INHERITED = (
    "root",
    "mirrors",
    "download_timeout",
    "verify_checksums",
    "split_seed",
    "val_fraction",
    "channels",
    "image_size",
)
# Keys of the mix alone (its batches, its augmentation): a source may not set them.
SHARED = ("batch_size", "num_workers", "augment", "mixup", "cutmix", "random_erasing")


@contextmanager
def named_as_source(index: int, source, mix):
    """A UserError raised while source `index` is read names data.sources[index].<key>
    for the keys the source set itself; those it took from the mix keep data.<key>."""
    try:
        yield
    except UserError as error:
        error.args = (renamed(str(error), index, source, mix),)
        raise


def renamed(message: str, index: int, source, mix) -> str:
    own = [k for k in source if k not in (*SHARED, "name", "weight")]
    own = [k for k in own if k not in mix or source[k] != mix[k]]
    if not own:
        return message
    # values that read as "data.<key>" (a file named data.csv) stay, unless followed by
    # "=": there the text is the key (data.csv=data.csv)
    values = {str(v) for v in source.values() if isinstance(v, str) and "data." in v}
    values |= {str(Path(v)) for v in values}
    kept = sorted(values, key=len, reverse=True)
    for n, value in enumerate(kept):
        message = re.sub(re.escape(value) + "(?!=)", f"\0{n}\0", message)
    keys = "|".join(map(re.escape, own))
    message = re.sub(
        rf"(?<![\w/.\\=-])data\.({keys})\b", rf"data.sources[{index}].\1", message
    )
    for n, value in enumerate(kept):
        message = message.replace(f"\0{n}\0", value)
    return message
