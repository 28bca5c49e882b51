"""The Lightning twin's lean step (issue 13; BENCHMARKS.md, "The lean step"): the training
loss summed on the device and logged once an epoch must still be the epoch's mean over
its images, also when trainer.max_steps ends the epoch early; the progress bar on a
terminal shows it; and what speed/lean.py leaves out is left out only where it may be.
"""

import csv
import os
import sys

import pexpect
import pytest

STEPS = 7  # of the epoch's 41: trainer.max_steps ends it early


def test_the_epoch_loss_is_the_mean_over_its_images_when_max_steps_cuts_it(
    golden_package, tmp_path, capsys
):
    from pytorch_lightning.callbacks import Callback

    cli = golden_package("lightning-lenet-digits", "config.cli")
    training = golden_package("lightning-lenet-digits", "training")

    seen: list[tuple[float, int]] = []  # what each step's loss was, and its images

    class StepLosses(Callback):
        def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx):
            seen.append((float(outputs["loss"]), len(batch[0])))

    overrides = [
        f"trainer.max_steps={STEPS}",
        "trainer.limit_val_batches=1",
        "trainer.limit_test_batches=1",
        "trainer.enable_progress_bar=false",
        "report=false",
        "loggers=[csv]",
        f"output_dir={tmp_path}",
    ]
    run_dir, metrics = training.train(cli.parse_cli(overrides, ""), [StepLosses()])
    assert len(seen) == STEPS
    mean = sum(loss * images for loss, images in seen) / sum(n for _, n in seen)
    assert metrics["train/loss"] == pytest.approx(mean, rel=1e-5)
    rows = list(csv.DictReader((run_dir / "metrics.csv").open()))
    logged = [row for row in rows if row["train/loss"]]
    assert len(logged) == 1  # once, for the one (cut) epoch
    assert float(logged[0]["train/loss"]) == pytest.approx(mean, rel=1e-5)
    # logged before the epoch line is printed, which reads it (no validation: Lightning
    # validates at an epoch's end, and max_steps stopped this one before it)
    (line,) = [x for x in capsys.readouterr().out.splitlines() if x.startswith("epoch")]
    assert line.startswith(f"epoch 1/20  train/loss {mean:.4f}  (")


def test_the_bar_on_a_terminal_shows_the_epochs_loss(golden_copy, tmp_path):
    project = golden_copy("lightning-lenet-digits")
    args = ["train.py", "trainer=debug", "trainer.limit_train_batches=12"]
    args += ["report=false", "loggers=[csv]"]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "COLUMNS": "200"}
    child = pexpect.spawn(
        sys.executable, args, cwd=project, env=env, encoding="utf-8", timeout=120
    )
    try:
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0, child.before[-3000:]
    # redrawn at step 10 and the epoch's last (12): the running mean, 4 decimals
    assert "10/12" in child.before
    assert "loss=" in child.before
    shown = child.before.split("loss=")[1][:6]
    assert shown.replace(".", "").isdigit() and shown[1] == "."
    assert "epoch 1/1" not in child.before  # the bar, not the epoch lines


def test_the_plain_cuda_check_only_without_a_gpu(golden_package, monkeypatch):
    import torch

    lean = golden_package("lightning-lenet-digits", "speed.lean")
    monkeypatch.setenv("PYTORCH_NVML_BASED_CUDA_CHECK", "1")
    lean.plain_cuda_check()
    has_gpu = torch.cuda.is_available()
    assert ("PYTORCH_NVML_BASED_CUDA_CHECK" in os.environ) == has_gpu
    # the profiler Lightning is given opens one shared empty context, every time
    profiler = lean.NoProfiler()
    with profiler.profile("run_training_batch") as opened:
        assert opened is None
    assert profiler.profile("a") is profiler.profile("b")
