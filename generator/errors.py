"""A mistake the user can fix: one message, exit code 2, nothing written."""


class GenError(Exception):
    """Printed as `error: <message>`; `gen` then exits with code 2."""
