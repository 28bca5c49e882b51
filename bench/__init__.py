"""Maintainer benchmarks: emitted projects against hand-written loops, side by side.

Run in the test environment (it has torch): python -m bench --help
"""
