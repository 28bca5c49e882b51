"""What a run shows: its metrics under the shared names, its opening and closing lines."""

from pathlib import Path

from ..text_width import padded, shown_width


def scalars(logged: dict) -> dict:
    """Logged metrics as plain floats, under the names shared by both backends."""
    names = [
        k
        for k in logged
        if k.split("/")[0] in ("train", "val", "test") and k != "train/lr"
    ]
    return {k: float(logged[k]) for k in names}


def announce(run_dir: Path, record: dict) -> None:
    """The opening lines: where the run writes, what it trains, on what."""
    data, model, hw = record["data"], record["model"], record["hardware"]
    sizes = f"{data['train_size']}/{data['val_size']}/{data['test_size']}"
    print(f"run {run_dir}")
    print(f"  {model['name']} ({model['parameters']:,} trainable parameters)", end="")
    print(f" on {data['name']} ({sizes} train/val/test images)")
    print(
        f"  {hw['devices']} x {hw['accelerator']}, precision {hw['precision']}",
        flush=True,
    )


def report(heading: str, metrics: dict) -> None:
    """The closing lines: where the results are, every metric, then a table of the
    per-class ones (test/iou/<class>, test/ap/<class>): a row per class."""
    print(f"\n{heading}")
    overall = {name: value for name, value in metrics.items() if name.count("/") < 2}
    width = max(map(len, overall), default=0)
    for name, value in sorted(overall.items()):
        print(f"  {name:<{width}}  {value:.4f}")
    table = per_class(metrics)
    if table:
        columns = sorted({column for row in table.values() for column in row})
        width = max(len("class"), *map(shown_width, table))
        print(f"\n  {padded('class', width)}  " + "  ".join(columns))
        for name, row in table.items():
            cells = [f"{row[c]:<{len(c)}.4f}" if c in row else "-" for c in columns]
            print(f"  {padded(name, width)}  " + "  ".join(cells).rstrip())


def per_class(metrics: dict) -> dict[str, dict[str, float]]:
    """{class: {"test/iou": value, ...}} from names stage/metric/class, in the order
    the classes were logged (the dataset's)."""
    table: dict[str, dict[str, float]] = {}
    for name, value in metrics.items():
        if name.count("/") >= 2:
            stage, metric, cls = name.split("/", 2)
            table.setdefault(cls, {})[f"{stage}/{metric}"] = value
    return table
