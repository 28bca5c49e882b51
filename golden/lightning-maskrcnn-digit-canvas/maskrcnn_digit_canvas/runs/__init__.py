"""Reading run directories back (runs.py): find them, pick one, list, show, diff,
compare, and aggregate runs that differ only by their seed. Framework-free: runs.py
answers in a fraction of a second, without loading torch or paddle."""
