"""Lightning's own floor on a small step: a bare `Trainer.fit` (no callbacks, loggers,
checkpoints, progress bar or model summary; a do-nothing profiler; the hook-name
attribute set plainly, as the emitted TaskModule does) against a hand loop over the same
LeNet, batches and DataLoader, in turns; CPU time a step on one thread.

python -m bench floor [--size 28] [--batch 32] [--rounds 7] [--warmup 10] [--steps 50]
What an emitted project's bench.py ratio cannot go below on this machine: the emitted
repo's own additions are its ratio minus this one (BENCHMARKS.md, "The lean step").
"""

import contextlib
import os
import statistics
import time
import warnings

os.environ["OMP_NUM_THREADS"] = "1"  # one core's work, as `bench lean` measures


def add_arguments(options) -> None:
    options.add_argument("--size", type=int, default=28)  # MNIST's; digits' is 8
    options.add_argument("--batch", type=int, default=32)
    options.add_argument("--rounds", type=int, default=7)
    options.add_argument("--warmup", type=int, default=10)
    options.add_argument("--steps", type=int, default=50)


def main(args) -> None:
    import pytorch_lightning as pl
    import torch
    import torch.nn.functional as F
    from pytorch_lightning.profilers import PassThroughProfiler
    from torch import nn

    torch.set_num_threads(1)
    warnings.filterwarnings("ignore")
    if not torch.cuda.is_available():  # as the emitted speed/lean.py does
        os.environ.pop("PYTORCH_NVML_BASED_CUDA_CHECK", None)
    nothing = contextlib.nullcontext()
    timed = args.warmup + args.steps

    class NoProfiler(PassThroughProfiler):
        def profile(self, action_name):
            return nothing

    def lenet() -> nn.Module:
        flat = 16 * (args.size // 4) ** 2  # the emitted LeNet's: both convs padded
        return nn.Sequential(
            nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
            nn.Linear(flat, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
            nn.Linear(84, 10),
        )  # fmt: skip

    images = torch.randn(args.batch * timed, 1, args.size, args.size)
    labels = torch.randint(0, 10, (len(images),))
    batches = list(zip(images.split(args.batch), labels.split(args.batch), strict=True))

    def loader():
        return torch.utils.data.DataLoader(batches, batch_size=None)

    class Bare(pl.LightningModule):
        def __init__(self) -> None:
            super().__init__()
            self.net = lenet()

        def __setattr__(self, name, value) -> None:
            if name == "_current_fx_name":
                object.__setattr__(self, name, value)
            else:
                super().__setattr__(name, value)

        def training_step(self, batch, batch_idx):
            return F.cross_entropy(self.net(batch[0]), batch[1])

        def configure_optimizers(self):
            return torch.optim.AdamW(self.parameters(), 1e-3)

    class Clock(pl.Callback):
        def __init__(self) -> None:
            self.ticks, self.marks = 0, []

        def on_train_batch_end(self, *_) -> None:
            self.ticks += 1
            if self.ticks in (args.warmup, timed):
                self.marks.append(time.process_time())

    def lightning() -> float:
        clock = Clock()
        trainer = pl.Trainer(
            max_epochs=1, logger=False, enable_checkpointing=False,
            enable_progress_bar=False, enable_model_summary=False, callbacks=[clock],
            profiler=NoProfiler(), accelerator="cpu", devices=1,
        )  # fmt: skip
        trainer.fit(Bare(), loader())
        return (clock.marks[1] - clock.marks[0]) / args.steps

    def hand() -> float:
        net = lenet()
        optimizer = torch.optim.AdamW(net.parameters(), 1e-3)
        for step, (x, y) in enumerate(loader(), 1):
            loss = F.cross_entropy(net(x), y)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            if step == args.warmup:
                start = time.process_time()
        return (time.process_time() - start) / args.steps

    rows = {"lightning": [], "hand": []}
    with contextlib.redirect_stderr(open(os.devnull, "w")):
        for _ in range(args.rounds):
            rows["lightning"].append(lightning())
            rows["hand"].append(hand())
    bare, plain = (1000 * statistics.median(rows[k]) for k in ("lightning", "hand"))
    print(
        f"LeNet {args.size}x{args.size}, batch {args.batch}: bare Lightning {bare:.2f},"
        f" hand {plain:.2f} CPU ms/step; floor {bare - plain:.2f} ms,"
        f" ratio {bare / plain:.3f} (load {os.getloadavg()[0]:.1f})"
    )
