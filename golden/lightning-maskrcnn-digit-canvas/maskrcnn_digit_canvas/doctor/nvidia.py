"""What the machine says of NVIDIA GPUs without a framework: the driver and the GPUs
nvidia-smi lists, and whether CUDA_VISIBLE_DEVICES hides them all."""

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

KERNEL_MODULE = Path("/proc/driver/nvidia/version")  # there once the driver is loaded
HIDING = ("", "-1", "none", "NoDevFiles")  # CUDA_VISIBLE_DEVICES values that hide all


@dataclass(frozen=True)
class Driver:
    version: str
    gpus: list[str]  # their names, as nvidia-smi lists them

    def __str__(self) -> str:
        gpus = f"{len(self.gpus)} x {self.gpus[0]}, " if self.gpus else ""
        return f"{gpus}driver {self.version}"


def driver() -> Driver | None:
    """The NVIDIA driver and its GPUs, or None when there is no driver to talk to."""
    smi = shutil.which("nvidia-smi")
    if smi:
        query = [smi, "--query-gpu=name,driver_version", "--format=csv,noheader"]
        try:
            said = subprocess.run(query, capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            return None
        rows = [line.rsplit(",", 1) for line in said.stdout.splitlines() if "," in line]
        if said.returncode == 0 and rows:
            return Driver(rows[0][1].strip(), [name.strip() for name, _ in rows])
    if KERNEL_MODULE.is_file():  # a driver without nvidia-smi (a slim container)
        words = KERNEL_MODULE.read_text().split()
        return Driver(next((w for w in words if w[:1].isdigit()), "?"), [])
    return None


def hidden() -> str | None:
    """CUDA_VISIBLE_DEVICES's value when it hides every GPU, else None."""
    value = os.environ.get("CUDA_VISIBLE_DEVICES")
    return value if value is not None and value.strip() in HIDING else None
