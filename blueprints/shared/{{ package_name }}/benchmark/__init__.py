"""bench.py's parts: the step clock and the figures (figures.py), the repo's own training
path (repo_path.py), a plain hand-written loop over the same model, data and steps
(hand_loop.py), and the device's clock and memory (device.py)."""
