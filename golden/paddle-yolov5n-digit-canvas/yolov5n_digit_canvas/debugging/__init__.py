"""Interactive debugging of a run: ipdb at the first exception (debug=ipdb) or at the
first batch of a hook (debug.break_at). README: Debugging."""
