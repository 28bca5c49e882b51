"""Maintainer benchmarks: emitted projects against hand-written loops, side by side.

Run in the test environment (it has torch): python -m bench --help
"""

# What `python -m bench NAME` runs: each a module here with add_arguments and main.
BENCHES = (
    "hand",
    "twins",
    "gpu",
    "learn",
    "adversary",
    "stream",
    "folder",
    "yolo",
    "serve",
    "lean",
    "mnist",
    "floor",
)
