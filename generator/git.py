"""Ask git a question about a folder."""

import subprocess
from pathlib import Path


def git(folder: Path, *args: str) -> str | None:
    """git's output (stripped), or None where git fails or is not installed."""
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args], capture_output=True, text=True
        )
    except OSError:
        return None
    return done.stdout.strip() if done.returncode == 0 else None
