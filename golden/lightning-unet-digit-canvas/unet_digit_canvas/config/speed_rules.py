"""Value rules of the speed settings (configs/config.yaml's speed:, trainer.compile),
merged into config/rules.py's RULES: each key, what it accepts, and the fix."""

SWITCH = (lambda v: v in (True, False, "auto"), "must be auto, true or false")
EMA_DECAY = (
    lambda v: 0 < v < 1,
    "must be above 0 and below 1 (e.g. 0.999), or null: off",
)

SPEED_RULES = {
    "trainer.compile": SWITCH,
    "speed.channels_last": SWITCH,
    "speed.cudnn_benchmark": SWITCH,
    "speed.tf32": SWITCH,
    "speed.fused_optimizer": SWITCH,
    "speed.ema": EMA_DECAY,
}
