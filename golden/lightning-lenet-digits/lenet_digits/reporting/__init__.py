"""The report of a run (report.html and its pictures, written at the end of every run
and by `python runs.py report RUN`), and what the test pass keeps for it."""
