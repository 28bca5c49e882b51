"""A run's configuration: its typed schema, the files in configs/, how the command line
and those files compose into one validated config, and the rules values must keep."""
