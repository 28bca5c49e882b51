"""The yardstick for bench.py: the same model, data and steps as train.py's, in a plain
paddle loop (forward, loss, backward, optimizer step) with nothing else around it."""

import paddle
from omegaconf import OmegaConf

from ..callbacks.seeds import seed_everything
from ..classifier import build_classifier
from ..data.arrays import describe
from ..data.mixing import MixedCrossEntropy
from ..data.module import ImageClassificationData
from ..models.starting_weights import start_weights
from ..optim import build_optimization
from ..trainer import amp_configs, device_and_precision
from .figures import StepClock


def hand_round(cfg, clock: StepClock) -> None:
    amp = amp_configs(device_and_precision(cfg.trainer))  # train.py's device, threads
    seed_everything(cfg.seed)
    config = OmegaConf.to_container(cfg, resolve=True)
    data = ImageClassificationData(cfg.data)
    data.prepare_data()
    data.setup("fit")
    model = build_classifier(config, describe(data))
    loss_of = MixedCrossEntropy()
    network = model.network  # the input pipeline, then the network itself
    trainable = start_weights(network.network, cfg.model)  # as train.py
    clock.need_whole_batches(len(data.splits["train"]), cfg.data.batch_size)
    loader = data.loader("train", True, clock.warmup + clock.steps)
    optimizer, _ = build_optimization(cfg, trainable, len(loader))
    network.train()
    for images, *targets in loader:
        with paddle.amp.auto_cast(enable=amp is not None, **(amp or {})):
            outputs = network(images)  # a tuple where a loss reads more than logits
            outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
            loss = loss_of(*outputs, *targets)
        loss.backward()
        optimizer.step()
        optimizer.clear_grad()
        clock.tick()
        if clock.done:
            return
