"""onefit's generator: a validated spec in, a small training repository out."""

__version__ = "0.1.0"
