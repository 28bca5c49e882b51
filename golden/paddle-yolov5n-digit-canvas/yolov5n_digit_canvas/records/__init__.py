"""What a run leaves behind: its directory, the record of how it ran, and its summary."""
