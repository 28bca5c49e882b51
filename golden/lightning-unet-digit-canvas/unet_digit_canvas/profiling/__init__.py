"""trainer=profile: a profiler trace of the first epoch's training steps in the run
directory, the top operations and the share of time spent waiting for data
(profiler.py, with data_wait.py's clock)."""
