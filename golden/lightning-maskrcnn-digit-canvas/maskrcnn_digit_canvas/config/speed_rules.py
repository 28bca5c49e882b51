"""Value rules of the speed settings (configs/config.yaml's speed:, trainer.compile)
and of trainer.devices, merged into config/rules.py's RULES: each key, what it
accepts, and the fix."""

import re

DEVICES = re.compile(r"auto|-1|[1-9]\d*|(\d+,)+\d*")

SWITCH = (lambda v: v in (True, False, "auto"), "must be auto, true or false")
EMA_DECAY = (
    lambda v: 0 < v < 1,
    "must be above 0 and below 1 (e.g. 0.999), or null: off",
)

DEVICE_LIST = (lambda v: DEVICES.fullmatch(str(v)), "must be auto, -1, N>0 or 0,1,...")

SPEED_RULES = {
    "trainer.devices": DEVICE_LIST,  # -1 and 0,1 name GPUs: scaling/run.py
    "trainer.compile": SWITCH,
    "speed.channels_last": SWITCH,
    "speed.cudnn_benchmark": SWITCH,
    "speed.tf32": SWITCH,
    "speed.fused_optimizer": SWITCH,
    "speed.ema": EMA_DECAY,
}
