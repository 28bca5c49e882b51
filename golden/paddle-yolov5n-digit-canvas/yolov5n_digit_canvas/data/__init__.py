"""Datasets: download, read into memory, split, and serve batches."""
