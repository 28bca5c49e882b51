"""Multi-stage recipes in an emitted project, on both twins: `python train.py
experiment=finetune` runs its stages in order, each a run directory of its series with
"stage" in its record; stage 1 trains with its backbone really frozen, stage 2 starts
from stage 1's best weights (tensors compared); an interrupted series resumes mid-way
from the same command; one stage resumes alone (ckpt_path=) and reruns from its saved
config (--config); bad stage forms are refused in one line before any stage runs."""

import json
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from omegaconf import OmegaConf

from tests.conftest import run
from tests.test_emitted_trains import BACKENDS, QUIET, checkpoint
from tests.test_scaling import free_port

SHORT = ["trainer.max_epochs=1", "trainer.limit_train_batches=3", *QUIET]
TWO_STEPS = """\
defaults:
  scheduler: none
stages:
  - name: warm
    trainer.max_epochs: 1
  - name: rest
    optimizer: {lr: 0.001}
    trainer.max_epochs: 3
"""


def record_of(run_dir: Path) -> dict:
    return json.loads((run_dir / "record.json").read_text())


def the_series(project: Path) -> tuple[Path, list[Path]]:
    """The one series folder under runs/, and its stages' run directories in order."""
    (series,) = [
        p for p in (project / "runs").iterdir() if (p / "series.json").is_file()
    ]
    return series, sorted(p for p in series.iterdir() if p.is_dir())


def weights(backend: str, path: Path) -> dict:
    """The network's tensors in a checkpoint of this project, by parameter name."""
    if backend == "lightning":
        import torch

        state = torch.load(path, weights_only=True)
        state = state.get("state_dict", state)  # a checkpoint, or plain weights
        return {k.removeprefix("net."): v.numpy() for k, v in state.items()}
    import paddle

    state = paddle.load(str(path))
    return {k.removeprefix("network."): v.numpy() for k, v in state.items()}


def data_of(backend: str, path: Path) -> dict:
    """The data description a checkpoint keeps: channels, image_size, class_names."""
    if backend == "lightning":
        import torch

        return torch.load(path, weights_only=True)["hyper_parameters"]["data"]
    return json.loads(path.with_suffix(".json").read_text())["data"]


DIGITS = {"channels": 1, "class_names": [str(n) for n in range(10)], "image_size": 8}


def lenet(golden_package, backend: str, model_cfg, data: dict = DIGITS):
    """The project's network for `data`, built as training.py builds it."""
    build_model = golden_package(f"{backend}-lenet-digits", "models").build_model
    channels, classes = data["channels"], len(data["class_names"])
    return build_model(model_cfg, channels, classes, data["image_size"])


def numpy_state(network) -> dict:
    return {
        k: v.detach().numpy() if hasattr(v, "detach") else v.numpy()
        for k, v in network.state_dict().items()
    }


def starting_weights(golden_package, backend: str, run_dir: Path) -> dict:
    """The tensors a run started from: its network built and given its config's
    model.pretrained and model.freeze as training.py does, before any step."""
    start = golden_package(f"{backend}-lenet-digits", "models.starting_weights")
    cfg = OmegaConf.load(run_dir / "config.yaml")
    network = lenet(golden_package, backend, cfg.model)
    start.start_weights(network, cfg.model)
    return numpy_state(network)


def save_weights(golden_package, backend: str, path: Path) -> Path:
    """A weights file of a freshly initialised LeNet for digits, for stage 1 to start
    from, as a user's own weights file would be."""
    cfg = OmegaConf.load(path.parent / "configs/model/lenet.yaml")
    network = lenet(golden_package, backend, cfg)
    if backend == "lightning":
        import torch

        torch.save(network.state_dict(), path.with_suffix(".pth"))
        return path.with_suffix(".pth")
    import paddle

    paddle.save(network.state_dict(), str(path.with_suffix(".pdparams")))
    return path.with_suffix(".pdparams")


@pytest.mark.parametrize("backend", BACKENDS)
def test_each_stage_starts_from_the_best_weights_of_the_one_before(
    golden_copy, golden_package, backend, monkeypatch
):
    project = golden_copy(f"{backend}-lenet-digits")
    begin = save_weights(golden_package, backend, project / "begin")
    args = ["train.py", "experiment=finetune", *SHORT, f"model.pretrained={begin}"]
    series_run = run(args, project)
    assert series_run.returncode == 0, series_run.stderr
    series, (head, whole) = the_series(project)
    assert [p.name for p in (head, whole)] == ["1-head", "2-all"]
    head_best = checkpoint(head, backend, "best")
    stages = [record_of(head)["stage"], record_of(whole)["stage"]]
    assert stages[0] == {"name": "head", "index": 1, "of": 2, "from": None}
    assert stages[1] == {"name": "all", "index": 2, "of": 2, "from": stages[1]["from"]}
    assert (project / stages[1]["from"]).resolve() == head_best.resolve()
    # Stage 1: the backbone (lenet's features) frozen, the head trained.
    before, after = weights(backend, begin), weights(backend, head_best)
    frozen = [k for k in after if k.startswith("features.")]
    assert frozen and all(np.array_equal(before[k], after[k]) for k in frozen)
    trained = [k for k in after if k.startswith("classifier.")]
    assert any(not np.array_equal(before[k], after[k]) for k in trained)
    parameters = [
        record_of(run_dir)["model"]["parameters"] for run_dir in (head, whole)
    ]
    assert parameters[0] < parameters[1]  # the optimizer had only the head's
    # Stage 2 starts from stage 1's best weights, every tensor of them.
    monkeypatch.chdir(project)  # where its config's paths start
    trained_on = data_of(backend, head_best)  # what lenet() builds for
    assert (trained_on["channels"], trained_on["image_size"]) == (1, 8)
    assert len(trained_on["class_names"]) == 10
    started = starting_weights(golden_package, backend, whole)
    assert set(started) <= set(after)
    assert all(np.array_equal(started[k], after[k]) for k in started)
    assert any(k.startswith("features.") for k in started)
    for run_dir, lr in ((head, 0.01), (whole, 0.0005)):
        saved = OmegaConf.load(run_dir / "config.yaml")
        assert saved.experiment == "finetune" and saved.stages is None
        assert saved.optimizer.lr == lr and saved.trainer.max_epochs == 1
    assert json.loads((series / "series.json").read_text())["finished"] is True


def norm_statistics(backend: str, network, images) -> dict:
    """The batch norms' running statistics after two training-mode passes of `images`."""
    network.train()
    if backend == "lightning":
        import torch

        with torch.no_grad():
            network(torch.as_tensor(images))
    else:
        import paddle

        with paddle.no_grad():
            network(paddle.to_tensor(images))
    state = numpy_state(network)
    names = ("running_mean", "running_var", "_mean", "_variance")
    return {k: v.copy() for k, v in state.items() if k.endswith(names)}  # not a view


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_frozen_backbone_s_batch_norms_keep_their_statistics(
    rendered, golden_package, backend
):
    """Frozen: normalised with the statistics its weights were learned with, in
    training too, and not updated; not frozen: updated (so the check can fail)."""
    name = f"{backend}-lenet-digits"
    resnet = OmegaConf.load(rendered(name) / "configs/model/resnet18.yaml")
    build = golden_package(name, "models").build_model
    start = golden_package(name, "models.starting_weights").start_weights
    images = np.random.default_rng(0).normal(size=(4, 1, 8, 8)).astype("float32")
    for freeze in ("backbone", None):
        cfg = OmegaConf.merge(resnet, {"freeze": freeze, "pretrained": None})
        network = build(cfg, 1, 10, 8)
        start(network, cfg)
        before = norm_statistics(backend, network.eval(), images)  # eval: no update
        after = norm_statistics(backend, network, images)
        assert len(before) >= 20  # resnet18's norms, both statistics of each
        unchanged = [np.array_equal(before[k], after[k]) for k in before]
        assert all(unchanged) if freeze else not any(unchanged)


# Lightning: Paddle's several processes need GPUs (paddle.distributed.launch).
LAUNCHERS = {
    "one machine": ["train.py", "trainer.devices=2"],
    "torchrun": ["-m", "torch.distributed.run", "--nproc_per_node=2", "train.py"],
}


@pytest.mark.parametrize("launcher", LAUNCHERS)
def test_a_series_runs_on_two_processes_as_one(golden_copy, launcher):
    """Every process runs the series: one series folder and one run directory per stage
    (rank 0's), each stage starting from the stage before's best checkpoint. Under
    torchrun all processes start at once and each stage's process group meets anew."""
    project = golden_copy("lightning-lenet-digits")
    args = [*LAUNCHERS[launcher], "experiment=finetune", "trainer=ddp"]
    args += ["trainer.accelerator=cpu", *SHORT, "trainer.limit_val_batches=2"]
    if launcher == "torchrun":
        args.insert(3, f"--master_port={free_port()}")
    result = run(args, project, timeout=240)
    assert result.returncode == 0, result.stderr[-3000:]
    series, (head, whole) = the_series(project)
    assert [p.name for p in (head, whole)] == ["1-head", "2-all"]
    assert list((project / "runs").iterdir()) == [series]
    for run_dir in (head, whole):
        assert record_of(run_dir)["status"] == "finished"
        assert record_of(run_dir)["scaling"]["processes"] == 2
    best = checkpoint(head, "lightning", "best").resolve()
    assert (project / record_of(whole)["stage"]["from"]).resolve() == best
    assert json.loads((series / "series.json").read_text())["finished"] is True


def test_bad_freezes_are_one_line(golden_copy, golden_package):
    project = golden_copy("paddle-lenet-digits")
    result = run(["train.py", "model.freeze=[featurs]", *SHORT], project)
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert (
        "no parameter of model lenet starts with 'featurs'. Did you mean features?"
        in result.stderr
    )
    assert not list((project / "runs").glob("*/record.json"))
    start = golden_package("paddle-lenet-digits", "models.starting_weights")
    network = lenet(golden_package, "paddle", OmegaConf.create({"name": "lenet"}))
    for freeze in ("everything", 3, [1]):
        with pytest.raises(start.UserError, match="it must be null, backbone, or a"):
            start.frozen_prefixes(network, freeze, "lenet")
    assert start.frozen_prefixes(network, ["classifier.5"], "lenet") == (
        "classifier.5",
    )


def interrupted_in_stage_two(
    project: Path, args: list[str]
) -> subprocess.CompletedProcess:
    """train.py ARGS, stopped by SIGINT once stage 2 has ended its first epoch."""
    process = subprocess.Popen(
        [sys.executable, "-u", "train.py", *args],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    for line in process.stdout:
        if line.startswith("epoch 2/3"):  # stage 1 runs 1 epoch, stage 2 three
            process.send_signal(signal.SIGINT)
            break
    out, errors = process.communicate(timeout=120)
    return subprocess.CompletedProcess(args, process.returncode, out, errors)


def test_an_interrupted_series_resumes_mid_way_from_the_same_command(golden_copy):
    """On Paddle (the quicker twin): the series logic is shared, and a Lightning run
    resumed from ckpt_path= is test_failures.py's."""
    backend = "paddle"
    project = golden_copy(f"{backend}-lenet-digits")
    (project / "configs/experiment/steps.yaml").write_text(TWO_STEPS)
    args = ["experiment=steps", "data.batch_size=8", "trainer.limit_train_batches=60"]
    args += QUIET
    stopped = interrupted_in_stage_two(project, args)
    assert stopped.returncode == 130, stopped.stderr
    assert "rerun the same command to continue" in stopped.stderr
    series, (warm, rest) = the_series(project)
    assert record_of(warm)["status"] == "finished"
    assert record_of(rest)["status"] == "interrupted"
    warm_metrics = (warm / "metrics.json").read_bytes()
    resumed = run(["train.py", *args], project)
    assert resumed.returncode == 0, resumed.stderr
    assert the_series(project) == (series, [warm, rest])  # no new series, no new stage
    assert "stage 1/2 warm: done" in resumed.stderr
    assert "epoch 1/3" not in resumed.stdout and "epoch 3/3" in resumed.stdout
    assert (warm / "metrics.json").read_bytes() == warm_metrics  # not run again
    record = record_of(rest)
    assert record["status"] == "finished" and len(record["resumed"]) == 1
    assert record["stage"]["name"] == "rest" and record["stage"]["from"]
    assert json.loads((series / "series.json").read_text())["finished"] is True
    # One stage alone: resumed with ckpt_path= in its own directory, no series again,
    # and env= applied over its saved config (a run moved to another machine).
    last = checkpoint(rest, backend, "last")
    more = run(
        ["train.py", f"ckpt_path={last}", "trainer.max_epochs=4", "env=local"], project
    )
    assert more.returncode == 0, more.stderr
    assert "epoch 4/4" in more.stdout and "stage 1/2" not in more.stderr
    assert the_series(project) == (series, [warm, rest])
    assert record_of(rest)["stage"]["name"] == "rest"
    saved = OmegaConf.load(rest / "config.yaml")
    assert (saved.env, saved.trainer.devices, saved.experiment) == ("local", 1, "steps")
    # Its saved config: composed again as it was, the experiment named, not re-applied.
    config = str(warm / "config.yaml")
    again = run(
        ["train.py", "--config", config, "env=local", "--print-config"], project
    )
    assert again.returncode == 0, again.stderr
    assert "experiment: steps" in again.stdout and "the saved config" in again.stdout
    assert "configs/env/local.yaml" in again.stdout
    refused = run(["train.py", "--config", config, "experiment=long"], project)
    assert refused.returncode == 2
    assert "experiment=long: a saved config fixes its options" in refused.stderr


BAD_STAGES = [
    ("stages: head\n", "stages must be a list of stages"),
    ("stages: [{optimizer.lr: 0.1}]\n", "stage 1 needs a name"),
    ("stages: [{name: a}, {name: a}]\n", "two stages are named 'a'"),
    (
        "stages: [{name: a}, {name: b, optimizer.lrr: 0.1}]\n",
        "unknown key 'optimizer.lrr' in configs/experiment/bad.yaml, stage 'b'. Did"
        " you mean optimizer.lr?",
    ),
    (
        "stages: [{name: a, trainer: {max_epochs: many}}]\n",
        "bad value for 'trainer.max_epochs' in configs/experiment/bad.yaml, stage 'a'",
    ),
    (
        "stages: [{name: a, output_dir: x}]\n",
        "stage 'a' sets output_dir, which a stage",
    ),
    (
        "stages: [{name: a}, {name: b, model.freeze: everything}]\n",
        "model.freeze=everything: it must be null, backbone, or a list",
    ),
]


@pytest.mark.parametrize("text, message", BAD_STAGES)
def test_bad_stage_forms_are_one_line_before_any_stage_runs(golden_copy, text, message):
    project = golden_copy("lightning-lenet-digits")
    (project / "configs/experiment/bad.yaml").write_text(text)
    result = run(["train.py", "experiment=bad", *SHORT], project)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (project / "runs").exists()
