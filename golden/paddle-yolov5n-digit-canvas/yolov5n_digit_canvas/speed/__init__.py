"""Speed settings: which ones a run uses and why (choices.py, framework-free), and how
this backend applies them (apply.py), with the weights' moving average (ema.py)."""
