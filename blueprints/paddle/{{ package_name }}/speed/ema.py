"""speed.ema: an exponential moving average of the weights, updated after each batch.
Evaluation and every checkpoint (so test, export and a resumed run) use the average;
training goes on with the raw weights. Placed after callbacks/watch.py, which saves
the checkpoints at the end of evaluation, before the raw weights come back."""

import paddle


class WeightAverage(paddle.callbacks.Callback):
    def __init__(self, decay: float) -> None:
        super().__init__()
        self.decay = decay
        self.average: dict | None = None
        self.raw: dict | None = None

    def on_train_begin(self, logs=None) -> None:
        self.average = copy(self.model.network.state_dict())  # resumed: averaged

    @paddle.no_grad()
    def on_train_batch_end(self, step, logs=None) -> None:
        for name, value in self.model.network.state_dict().items():
            if paddle.is_floating_point(value):
                average = self.average[name]
                average.set_value(average * self.decay + value * (1 - self.decay))
            else:  # counters
                self.average[name].set_value(value)

    def on_eval_begin(self, logs=None) -> None:
        if self.average is not None:
            self.raw = copy(self.model.network.state_dict())
            self.model.network.set_state_dict(self.average)

    def on_eval_end(self, logs=None) -> None:
        if self.raw is not None:
            self.model.network.set_state_dict(self.raw)
            self.raw = None


def copy(weights: dict) -> dict:
    return {name: value.detach().clone() for name, value in weights.items()}
