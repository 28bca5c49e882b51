"""The yardstick for bench.py: the same model, data and steps as train.py's, in a plain
PyTorch loop (forward, loss, backward, gradient clipping if configured, optimizer step,
learning-rate schedule step) with nothing else around it."""

import torch
import torch.nn.functional as F
from omegaconf import OmegaConf

from ..segmenter import Segmenter
from ..data.coco_data import CocoData
from ..models.starting_weights import start_weights
from ..optim import build_optimizer, build_scheduler
from ..segmenter import IGNORED
from ..trainer import resolve_precision
from .figures import StepClock

HALF = {"bf16-mixed": torch.bfloat16, "16-mixed": torch.float16}


def hand_round(cfg, clock: StepClock) -> None:
    torch.manual_seed(cfg.seed)
    data = CocoData(cfg.data, cfg.seed)
    data.prepare_data()
    data.setup("fit")
    config = OmegaConf.to_container(cfg, resolve=True)
    model = Segmenter(config, data.describe())
    start_weights(model.net, cfg.model)  # pretrained, freeze: as train.py
    gpu = torch.cuda.is_available() and cfg.trainer.accelerator != "cpu"
    device = torch.device("cuda" if gpu else "cpu")
    model.to(device).train()
    if gpu:  # the layout train.py gives the network on GPUs (task_module.py)
        model.net.to(memory_format=torch.channels_last)
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = build_optimizer(trainable, cfg.optimizer)
    half = HALF.get(resolve_precision(cfg.trainer.precision, cfg.trainer.accelerator))
    scaler = torch.amp.GradScaler(enabled=half is torch.float16)
    clock.need_whole_batches(len(data.splits["train"]), cfg.data.batch_size)
    steps = clock.warmup + clock.steps  # train.py's schedule spans the round's steps
    scheduler = build_scheduler(optimizer, cfg.scheduler, steps, steps)
    clip = cfg.trainer.gradient_clip_val
    for batch in data.train_dataloader():
        images, targets = data.transfer_batch_to_device(batch, device, 0)[:2]
        images, targets = data.on_after_batch_transfer((images, targets), 0)
        with torch.autocast(device.type, dtype=half, enabled=half is not None):
            loss = F.cross_entropy(model(images), targets, ignore_index=IGNORED)
        optimizer.zero_grad(set_to_none=True)
        scaler.scale(loss).backward()
        if clip:
            scaler.unscale_(optimizer)
            torch.nn.utils.clip_grad_norm_(trainable, clip)
        scaler.step(optimizer)
        scaler.update()
        if scheduler is not None:
            scheduler.step()
        clock.tick()
        if clock.done:
            return
