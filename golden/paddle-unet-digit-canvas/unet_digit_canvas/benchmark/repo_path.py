"""The repo's own path for bench.py: train() exactly as `python train.py` runs it, with
a callback that ticks the step clock at the end of every training step."""

from paddle.callbacks import Callback

from ..training import train
from .figures import StepClock


class Ticks(Callback):
    def __init__(self, clock: StepClock) -> None:
        super().__init__()
        self.clock = clock

    def on_train_batch_end(self, step, logs=None) -> None:
        self.clock.tick()


def repo_round(cfg, clock: StepClock) -> None:
    train(cfg, more_callbacks=[Ticks(clock)])
