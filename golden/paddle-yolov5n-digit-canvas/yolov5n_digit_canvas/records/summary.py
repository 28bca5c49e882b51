"""What a run shows: its metrics under the shared names, its opening and closing lines."""

from pathlib import Path


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
    """The closing lines: where the results are, then every metric."""
    print(f"\n{heading}")
    for name, value in sorted(metrics.items()):
        print(f"  {name:<14} {value:.4f}")
