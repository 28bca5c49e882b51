"""What bench.py shows, framework-free: the machine it ran on and the table of rounds."""

import os
import platform
from datetime import UTC, datetime


def machine(device: str) -> dict:
    """The card (or CPU), the cores this process may use, and how busy the machine was:
    figures from a loaded machine are only comparable side by side."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            names = [line for line in info if line.startswith("model name")]
        cpu = names[0].split(":", 1)[1].strip() if names else cpu
    except OSError:
        pass
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "device": device,
        "cpu": cpu,
        "cores": len(os.sched_getaffinity(0)),
        "load_1min": round(os.getloadavg()[0], 2),
    }


def print_table(result: dict) -> None:
    print(
        f"bench: {result['model']} on {result['data']}, batch {result['batch_size']},"
        f" {result['steps']} steps after {result['warmup']} warm-up,"
        f" {len(result['rounds']) // 2} rounds each, taken in turns"
    )
    where = result["machine"]
    print(
        f"machine: {where['device']} | {where['cpu']} ({where['cores']} cores,"
        f" load {where['load_1min']}) | {where['date']}"
    )
    print(
        f"{'round':>6}  {'path':<5} {'img/s':>9} {'ms/step':>9} {'host MB':>8} {'device MB':>9}"
    )
    for row in [
        *result["rounds"],
        *({"round": "median", "path": p} | result[p] for p in ("repo", "hand")),
    ]:
        device = (
            "-" if row["peak_device_mb"] is None else f"{row['peak_device_mb']:.0f}"
        )
        print(
            f"{row['round']:>6}  {row['path']:<5} {row['img_per_s']:>9.1f}"
            f" {row['ms_per_step']:>9.2f} {row['peak_host_mb']:>8.0f} {device:>9}"
        )
    print(f"ratio (repo ms/step / hand ms/step): {result['ratio']:.2f}")
