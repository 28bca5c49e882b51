"""onefit's generator: a validated spec in, a small training repository out."""

__version__ = "0.2.0"
