"""Check the data a run would train on, without training: split sizes, images per
class, and what would stop a run or deserves a look (train.py runs the same checks).

Usage: python check_data.py [data=option] [key=value ...]
  python check_data.py data=imagefolder data.root=photos
"""

from lenet_digits.config.cli import parse_cli
from lenet_digits.errors import run_cli


def main(argv: list[str]) -> None:
    cfg = parse_cli(argv, __doc__)
    from lenet_digits.data.arrays import named_splits
    from lenet_digits.data.checks import findings
    from lenet_digits.data.count_table import report_lines
    from lenet_digits.data.registry import DATASETS, load_arrays
    from lenet_digits.data.unreadable import UnreadableImages

    info = DATASETS[cfg.data.name]
    info.source.download(info, cfg.data)
    try:
        info, arrays = load_arrays(info, cfg.data)
        splits = named_splits(arrays, cfg.data.val_fraction, cfg.data.split_seed)
        found = findings(splits, arrays.class_names, cfg.data.batch_size)
    except UnreadableImages as error:  # each file, not only the first a run names
        print("\n".join(error.lines()))
        raise
    shape = f"{info.channels}x{info.image_size}x{info.image_size}"
    print(f"data={info.name}: {shape} images, {len(arrays.class_names)} classes")
    print("\n".join(report_lines(found)))
    for skipped in arrays.notes.get("skipped", []):  # with data.skip_corrupt=true
        print(f"skipped unreadable {skipped['path']}: {skipped['reason']}")


if __name__ == "__main__":
    run_cli(main)
