"""Batch size and scale (scaling/ in the emitted package): one process, two DDP processes
(gloo) accumulating gradients and two torchrun "nodes" on 127.0.0.1 reach the same
metrics at the same effective batch; data.batch_size=auto and the learning-rate rule say what they chose;
SLURM and torchrun are read from their variables, and a wrong or stray one (a rank with no
launcher) is one line before torch or paddle loads; an out-of-memory is one line."""

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from omegaconf import OmegaConf

from tests.conftest import run
from tests.messages import TRAIN, assert_one_documented_line, documented
from tests.test_emitted_trains import BACKENDS, metrics_of, only_run

# lenet on digits, 8 optimizer steps of 32 images: seconds, and enough to move the metrics
SHORT = [
    "trainer.accelerator=cpu",
    "trainer.max_epochs=1",
    "trainer.limit_train_batches=8",
    "trainer.enable_progress_bar=false",
    "report=false",
    "loggers=[csv]",
]
# The same images per step, with the same order: DDP shards each batch of 32 across the
# processes (DistributedSampler's permutation, seeded alike), and the mean of their
# gradients is the gradient of the 32; what is left is float summation order.
TOLERANCE = 1e-3
IMPORT = "import time:"  # python -X importtime's lines: which modules loaded
SAME_STEPS = ["data.batch_size=16", "scaling.effective_batch_size=32"]


def record_of(run_dir: Path) -> dict:
    return json.loads((run_dir / "record.json").read_text())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def assert_same_metrics(run_dir: Path, reference: dict) -> None:
    got = metrics_of(run_dir)
    for key in ("train/loss", "val/loss", "test/loss", "test/acc"):
        assert got[key] == pytest.approx(reference[key], abs=TOLERANCE), key


def test_ddp_and_torchrun_reach_one_process_metrics_at_the_same_effective_batch(
    golden_copy,
):
    project = golden_copy("lightning-lenet-digits")
    one = run(["train.py", *SHORT, "data.batch_size=auto"], project)
    assert one.returncode == 0, one.stderr
    assert (  # batch_size=auto on CPU says what it took and why
        "batch: 32 a process (32 on CPU: memory does not limit a CPU batch"
        in one.stdout
    )
    reference = metrics_of(only_run(project))
    assert reference["test/acc"] > 0.15  # it learned: the comparison is not of noise
    for run_dir in list((project / "runs").iterdir()):
        run_dir.rename(project / f"one-{run_dir.name}")

    # Two processes accumulating two batches of 8 each: 32 images a step, as above
    ddp = ["trainer.devices=2", "data.batch_size=8", "scaling.effective_batch_size=32"]
    two_per_step = ["trainer.limit_train_batches=16"]  # 8 steps of 2 batches each
    accumulated = run(["train.py", *SHORT, *ddp, *two_per_step], project)
    assert accumulated.returncode == 0, accumulated.stderr
    assert "8 a process (as set) x 2 process(es) x 2 accumulated = 32" in (
        accumulated.stdout
    )
    said = accumulated.stdout + accumulated.stderr  # Lightning's chatter kept quiet
    assert "Initializing distributed" not in said and "GLOBAL_RANK" not in said
    run_dir = only_run(project)  # the worker wrote into rank 0's directory
    assert record_of(run_dir)["scaling"]["accumulate_grad_batches"] == 2
    assert_same_metrics(run_dir, reference)
    run_dir.rename(project / "ddp")

    # Two "nodes" of one process each, as `torchrun --nnodes 2` starts them on a cluster
    port = free_port()
    nodes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "torch.distributed.run",
                "--nnodes=2",
                "--nproc_per_node=1",
                f"--node_rank={rank}",
                "--master_addr=127.0.0.1",
                f"--master_port={port}",
                "train.py",
                *SHORT,
                *SAME_STEPS,
            ],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        for rank in (0, 1)
    ]
    outputs = [node.communicate(timeout=300) for node in nodes]
    for node, (_, errors) in zip(nodes, outputs, strict=True):
        assert node.returncode == 0, errors
    assert outputs[0][0].count("\nrun: ") == 1 and "run: " not in outputs[1][0]
    run_dir = only_run(project)  # one directory, one set of checkpoints
    assert sorted(p.name for p in (run_dir / "checkpoints").iterdir()) == [
        "best.ckpt",
        "last.ckpt",
    ]
    record = record_of(run_dir)
    assert record["scaling"]["launcher"] == "torchrun"
    assert record["scaling"]["nodes"] == 2 and record["scaling"]["processes"] == 2
    assert record["hardware"]["cluster_environment"] == "TorchElasticEnvironment"
    assert_same_metrics(run_dir, reference)


SLURM_JOB = {  # what sbatch and srun set for one task of a one-node job
    "SLURM_JOB_ID": "4242",
    "SLURM_JOB_NAME": "train",
    "SLURM_NTASKS": "1",
    "SLURM_NTASKS_PER_NODE": "1",
    "SLURM_NNODES": "1",
    "SLURM_NODEID": "0",
    "SLURM_PROCID": "0",
    "SLURM_LOCALID": "0",
    "SLURM_NODELIST": "localhost",
}


def test_paddle_under_its_launcher_keeps_one_run_tested_on_rank_0(golden_copy):
    """Two processes started by python -m paddle.distributed.launch (gloo on the CPU,
    as NCCL on GPUs): rank 1 writes no checkpoint (paddle's Model.save writes nothing
    off local rank 0: renaming its files failed), and rank 0 tests the best checkpoint
    alone (a paddle.Model made under the launcher's variables waited for rank 1 in
    DataParallel's first broadcast, a gloo timeout): one run, whole, exit 0."""
    project = golden_copy("paddle-lenet-digits")
    launch = [
        sys.executable,
        "-m",
        "paddle.distributed.launch",
        "--nproc_per_node",
        "2",
    ]
    launch += ["--log_dir", str(project / "launch-logs")]
    done = subprocess.run(
        [*launch, "train.py", *SHORT], cwd=project, capture_output=True, text=True
    )
    logs = "".join(p.read_text() for p in (project / "launch-logs").glob("workerlog.*"))
    assert done.returncode == 0, logs[-3000:]
    run_dir = only_run(project)
    assert {p.name for p in (run_dir / "checkpoints").iterdir()} >= {
        "best.pdparams",
        "last.pdparams",
        "best.json",
        "last.json",
    }
    assert "test/acc" in metrics_of(run_dir)
    scaling = record_of(run_dir)["scaling"]
    assert (scaling["launcher"], scaling["processes"]) == (
        "paddle.distributed.launch",
        2,
    )


def test_slurm_is_read_from_its_variables(golden_copy, golden_package):
    launcher = golden_package("lightning-lenet-digits", "scaling.launchers").launcher
    job = {**SLURM_JOB, "SLURM_NNODES": "2", "SLURM_NTASKS": "8"}
    job |= {"SLURM_NTASKS_PER_NODE": "4(x2)", "SLURM_PROCID": "5"}
    assert launcher(job) == {
        "launcher": "slurm",
        "nodes": 2,
        "processes_per_node": 4,
        "rank": 5,
        "job": "4242",
    }
    # salloc's interactive shell is not a job of tasks: a plain run
    assert launcher({**job, "SLURM_JOB_NAME": "interactive"})["launcher"] == "local"
    torchrun = {"RANK": "3", "GROUP_RANK": "1", "LOCAL_RANK": "1"}
    torchrun |= {"LOCAL_WORLD_SIZE": "2", "WORLD_SIZE": "4"}
    assert launcher(torchrun)["nodes"] == 2 and launcher(torchrun)["rank"] == 3

    project = golden_copy("lightning-lenet-digits")
    args = ["train.py", "trainer=ddp", *SHORT, "trainer.limit_train_batches=2"]
    result = run(args, project, env=SLURM_JOB)
    assert result.returncode == 0, result.stderr
    record = record_of(only_run(project))
    assert record["scaling"]["launcher"] == "slurm"
    assert record["scaling"]["job"] == "4242"
    assert record["hardware"]["cluster_environment"] == "SLURMEnvironment"
    config = (only_run(project) / "config.yaml").read_text()
    assert "strategy: ddp" in config and "sync_batchnorm: true" in config


PADDLE_WORKER = {"PADDLE_TRAINER_ID": "1", "PADDLE_TRAINERS_NUM": "2"}
PADDLE_WORKER["PADDLE_CURRENT_ENDPOINT"] = "127.0.0.1:6071"  # all three, as it sets
TORCHRUN = {"RANK": "0", "GROUP_RANK": "0", "LOCAL_RANK": "0"}
PER_NODE = {"SLURM_NTASKS": "2", "SLURM_NTASKS_PER_NODE": "2", "SLURM_PROCID": "0"}
# Each twin reads only its own launchers' variables; paddle's launcher sets its three
# together (paddle's parallel start needs each), and starts the processes of a node.
OWN_LAUNCHERS = [
    ("lightning", PADDLE_WORKER, "PADDLE_TRAINER_ID=1 is a variable of paddle's"),
    ("lightning", {"PADDLE_TRAINERS_NUM": "2"}, "foreign to this Lightning project"),
    ("paddle", {"PADDLE_TRAINERS_NUM": "2"}, "PADDLE_TRAINERS_NUM=2 is set without"),
    (
        "paddle",
        {"PADDLE_TRAINER_ID": "0", "PADDLE_TRAINERS_NUM": "2"},
        "PADDLE_TRAINER_ID=0 is set without PADDLE_CURRENT_ENDPOINT:",
    ),
    (
        "paddle",
        {**TORCHRUN, "LOCAL_WORLD_SIZE": "2", "WORLD_SIZE": "2"},
        "WORLD_SIZE=2 (torchrun): each of these processes would train alone",
    ),
    ("paddle", {**PER_NODE, "SLURM_JOB_NAME": "x"}, "SLURM_NTASKS=2 (slurm): each"),
]


@pytest.mark.parametrize("backend, env, expected", OWN_LAUNCHERS)
def test_each_twin_reads_only_its_own_launchers_whole(
    golden_copy, backend, env, expected
):
    """train.py and doctor.py: one line, exit 2, no run folder; the Lightning twin no
    longer took paddle's variables for a launch of 2 DDP processes, and paddle's
    half-set ones (a traceback from paddle) or srun's and torchrun's processes (each
    trained alone, recorded as one) are refused."""
    project = golden_copy(f"{backend}-lenet-digits")
    result = run(["train.py", *SHORT], project, env=env)
    assert result.returncode == 2, result.stderr
    assert expected in assert_one_documented_line(result.stderr, TRAIN)
    assert not (project / "runs").exists()
    doctor = run(["doctor.py"], project, env=env)
    assert f"✗ launch      {result.stderr.removeprefix('error: ').strip()}" in (
        doctor.stdout
    )


SLURM_TASK = {k: v for k, v in SLURM_JOB.items() if k != "SLURM_NTASKS_PER_NODE"}
# Each wrong form of a launcher's variable (set by hand, or left from another job),
# and what the one line names.
BAD_LAUNCHES = [
    ({"SLURM_NTASKS": "abc"}, "SLURM_NTASKS=abc is not a whole number of at least 1"),
    ({"SLURM_NTASKS": "4", "SLURM_NTASKS_PER_NODE": "2", "SLURM_NNODES": "0"}, "=0 "),
    ({"SLURM_NTASKS": "2"}, "without SLURM_NTASKS_PER_NODE"),  # Lightning's rule
    ({"SLURM_NTASKS": "1", "SLURM_PROCID": "-1"}, "SLURM_PROCID=-1"),
    ({**TORCHRUN, "LOCAL_WORLD_SIZE": "abc"}, "LOCAL_WORLD_SIZE=abc"),
    ({**TORCHRUN, "LOCAL_WORLD_SIZE": "0"}, "LOCAL_WORLD_SIZE=0"),
    ({**TORCHRUN, "LOCAL_WORLD_SIZE": "2", "WORLD_SIZE": "1"}, "WORLD_SIZE=1 is not"),
    ({**TORCHRUN, "LOCAL_WORLD_SIZE": "2", "WORLD_SIZE": "3"}, "WORLD_SIZE=3 is not"),
    ({"PADDLE_TRAINER_ID": "0", "PADDLE_NNODES": "0"}, "PADDLE_NNODES=0"),
    ({"PADDLE_TRAINER_ID": "0", "PADDLE_TRAINERS_NUM": "1.5"}, "PADDLE_TRAINERS_NUM"),
]
PADDLE_ONLY = "PADDLE_NNODES=0", "PADDLE_TRAINERS_NUM"  # Lightning reads no PADDLE_*


@pytest.mark.parametrize("env, expected", BAD_LAUNCHES)
def test_a_wrong_launcher_variable_is_one_line_naming_it(golden_package, env, expected):
    twin = "paddle" if expected in PADDLE_ONLY else "lightning"
    package = golden_package(f"{twin}-lenet-digits")
    launchers = golden_package(f"{twin}-lenet-digits", "scaling.launchers")
    with pytest.raises(package.errors.UserError) as refused:
        launchers.launcher({**SLURM_TASK, **env} if "SLURM_NTASKS" in env else env)
    assert expected in str(refused.value) and documented(str(refused.value), TRAIN)


# A rank without the process count its launcher sets beside it: a variable set by hand
# or left from another job, which made the run a silent worker.
RANK_ALONE = [
    ({"LOCAL_RANK": "1"}, "LOCAL_RANK=1 is set without WORLD_SIZE"),
    ({"LOCAL_RANK": "0"}, "LOCAL_RANK=0 is set without WORLD_SIZE"),
    ({"RANK": "3", "LOCAL_RANK": "1"}, "RANK=3 is set without WORLD_SIZE"),
    ({"SLURM_PROCID": "2"}, "SLURM_PROCID=2 is set without SLURM_NTASKS"),
    ({"PADDLE_TRAINER_ID": "1"}, "python -m paddle.distributed.launch"),
    ({"LOCAL_RANK": "x", "WORLD_SIZE": "2"}, "LOCAL_RANK=x is not a whole number"),
]
LAUNCHED = [  # what each launcher sets: the run goes on
    {"LOCAL_RANK": "1", "WORLD_SIZE": "2"},  # Lightning's own DDP worker
    {**TORCHRUN, "LOCAL_WORLD_SIZE": "1", "WORLD_SIZE": "2"},
    {"SLURM_PROCID": "0"},  # sbatch's own script, with or without --ntasks
    SLURM_JOB,
]


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_rank_without_its_launcher_is_one_line_naming_it(golden_package, backend):
    launchers = golden_package(f"{backend}-lenet-digits", "scaling.launchers")

    def refusal(env: dict) -> str:
        with pytest.raises(launchers.UserError) as refused:
            launchers.check_launch_variables(env)
        assert documented(str(refused.value), TRAIN), str(refused.value)
        return str(refused.value)

    for env, expected in RANK_ALONE:
        assert expected in refusal(env), env
    torchrun = LAUNCHED[1]  # 2 nodes of 1: paddle's processes come from its launcher
    for env in LAUNCHED + ([PADDLE_WORKER] if backend == "paddle" else []):
        if backend == "paddle" and env is torchrun:
            assert "WORLD_SIZE=2 (torchrun): each of these" in refusal(env)
        else:
            launchers.check_launch_variables(env)
    # the twin's own launcher is the fix; a rank 0 is not told it is above rank 0
    by = {"lightning": "torchrun", "paddle": "python -m paddle.distributed.launch"}
    assert refusal({"LOCAL_RANK": "1"}).endswith(f"start train.py with {by[backend]}")
    assert "(one that logs nothing)" in refusal({"LOCAL_RANK": "1"})
    zero = refusal({"LOCAL_RANK": "0"})
    assert "(its rank 0, that starts no processes of its own)" in zero


@pytest.mark.parametrize(
    "backend, env, expected",
    [
        ("lightning", {"LOCAL_RANK": "1"}, "LOCAL_RANK=1 is set without WORLD_SIZE:"),
        (
            "paddle",
            {"PADDLE_TRAINER_ID": "abc"},
            "PADDLE_TRAINER_ID=abc is set without",
        ),
        (  # paddle's own import reads it: it was a traceback from there
            "paddle",
            {"PADDLE_TRAINER_ID": "abc", "PADDLE_TRAINERS_NUM": "2"},
            "PADDLE_TRAINER_ID=abc is not a whole number of at least 0",
        ),
    ],
)
def test_train_py_refuses_a_launcher_variable_before_the_framework_loads(
    golden_copy, backend, env, expected
):
    project = golden_copy(f"{backend}-lenet-digits")
    result = run(["-X", "importtime", "train.py", *SHORT], project, env=env)
    lines = result.stderr.splitlines(keepends=True)
    imported = {line.rsplit("|", 1)[1].strip() for line in lines if IMPORT in line}
    said = "".join(line for line in lines if IMPORT not in line)
    assert result.returncode == 2, said
    assert "lenet_digits.scaling.launchers" in imported  # -X importtime said
    assert {"torch", "paddle"}.isdisjoint(imported), said
    assert assert_one_documented_line(said, TRAIN).startswith(expected)
    assert not (project / "runs").exists()


@pytest.mark.parametrize("backend", BACKENDS)
def test_train_py_and_doctor_name_a_wrong_launcher_variable(golden_copy, backend):
    """Before anything is written: no run directory, exit 2, and the doctor's launch
    line in the same words."""
    project = golden_copy(f"{backend}-lenet-digits")
    env = {**SLURM_JOB, "SLURM_NTASKS": "abc"}
    result = run(["train.py", *SHORT], project, env=env)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("error: SLURM_NTASKS=abc is not a whole number")
    assert "Traceback" not in result.stderr and not (project / "runs").exists()
    doctor = run(["doctor.py"], project, env=env)
    line = next(x for x in doctor.stdout.splitlines() if "SLURM_NTASKS=abc" in x)
    assert line.lstrip().startswith("✗ launch") and "failed" not in line, line


RAISE_OUT_OF_MEMORY = {  # a callback raising what the framework raises, at step 2
    "lightning": """
import sys, torch
from pytorch_lightning.callbacks import Callback
from lenet_digits.config.compose import compose
from lenet_digits.errors import run_cli
from lenet_digits.training import train
class OutOfMemory(Callback):
    def on_train_batch_start(self, trainer, module, batch, index):
        if trainer.global_step == 2:
            raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
run_cli(lambda argv: train(compose(argv), [OutOfMemory()]))
""",
    "paddle": """
import sys, paddle
from lenet_digits.config.compose import compose
from lenet_digits.errors import run_cli
from lenet_digits.training import train
class OutOfMemory(paddle.callbacks.Callback):
    def on_train_batch_begin(self, step, logs=None):
        if step == 2:  # paddle's ResourceExhaustedError, as Python sees it
            raise MemoryError("ResourceExhaustedError: Out of memory error on GPU 0")
run_cli(lambda argv: train(compose(argv), [OutOfMemory()]))
""",
}


CPU_OUT_OF_MEMORY = (  # torch's CPU allocator (ulimit -v, resnet50 at batch 2048)
    'raise RuntimeError("[enforce fail at alloc_cpu.cpp:117] data. DefaultCPUAllocator:'
    " can't allocate memory: you tried to allocate 6422528000 bytes.\")"
)


@pytest.mark.parametrize("backend", [*BACKENDS, "lightning-cpu"])
def test_out_of_memory_is_one_line_saying_what_to_lower(golden_copy, backend):
    script = RAISE_OUT_OF_MEMORY[backend.split("-")[0]]
    if backend == "lightning-cpu":  # the host's memory, on a CPU run
        script = script.replace(
            'raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate'
            ' 2.00 GiB")',
            CPU_OUT_OF_MEMORY,
        )
        assert "DefaultCPUAllocator" in script
    project = golden_copy(f"{backend.split('-')[0]}-lenet-digits")
    args = ["trainer=debug", *SHORT, "data.batch_size=64"]
    result = run(["-c", script, *args], project)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        "error: out of memory at step 2 with data.batch_size=64 per process"
        " (trainer.precision=32-true): lower data.batch_size (e.g. 32) or set"
        " data.batch_size=auto, keep the images per step with"
        " scaling.effective_batch_size, or use trainer.precision=bf16-mixed"
    )


def test_paddle_holds_the_effective_batch_and_scales_the_rate(golden_copy):
    project = golden_copy("paddle-lenet-digits")
    rule = ["scaling.effective_batch_size=64", "scaling.lr_scaling=linear"]
    result = run(["train.py", *SHORT, "data.batch_size=auto", *rule], project)
    assert result.returncode == 0, result.stderr
    assert "32 a process (32 on CPU" in result.stdout
    assert "x 2 accumulated = 64 images a step; optimizer.lr 0.006 = 0.003" in (
        result.stdout
    )
    run_dir = only_run(project)
    scaling = record_of(run_dir)["scaling"]
    assert scaling["accumulate_grad_batches"] == 2 and scaling["lr"] == 0.006
    # config.yaml says the rate and the batch it is for: a rerun scales nothing twice
    config = (run_dir / "config.yaml").read_text()
    assert "lr: 0.006" in config and "lr_batch_size: 64" in config
    refused = run(["train.py", *SHORT, "scaling.effective_batch_size=48"], project)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert refused.stderr.strip() == (
        "error: scaling.effective_batch_size=48 is not a multiple of"
        " data.batch_size=32 x 1 processes: use data.batch_size=24 or auto"
    )
    assert not (project / "runs").exists() or only_run(project) == run_dir


def test_settings_lightning_cannot_run_are_one_line_before_any_run(golden_package):
    """A strategy name Lightning does not know (it would raise once the run directory
    exists), and machines nobody started (Lightning would wait for them for ever)."""
    scaling = golden_package("lightning-lenet-digits", "scaling.run")
    errors = golden_package("lightning-lenet-digits", "errors")
    trainer = OmegaConf.create({"strategy": "dpp", "num_nodes": "auto"})
    trainer.devices, trainer.accelerator = "auto", "auto"  # configs/trainer's defaults
    with pytest.raises(errors.UserError) as refused:
        scaling.check_launch(trainer)
    assert str(refused.value).startswith("trainer.strategy=dpp is not allowed")
    assert documented(str(refused.value), TRAIN)
    trainer.strategy, trainer.num_nodes = "ddp", 2
    with pytest.raises(errors.UserError) as refused:
        scaling.check_launch(trainer)
    assert str(refused.value).startswith("trainer.num_nodes=2: 1 node(s) started here")
    assert documented(str(refused.value), TRAIN)
    trainer.num_nodes = 1
    scaling.check_launch(trainer)  # one machine, as started: fine


def plan(package, batch, effective, accumulate=1, processes=1):
    cfg = OmegaConf.create(
        {
            "data": {"batch_size": batch},
            "trainer": {"accumulate_grad_batches": accumulate},
            "optimizer": {"lr": 0.1},
            "scaling": {
                "effective_batch_size": effective,
                "lr_scaling": "none",
                "lr_batch_size": 32,
            },
        }
    )
    found = package.cpu_batch() if batch == "auto" else None
    return cfg, package.plan_batches(cfg, processes, found)


def test_the_batch_plan_says_why_and_refuses_two_answers(golden_package, capsys):
    batch_plan = golden_package("paddle-lenet-digits", "scaling.batch_plan")
    cfg, _ = plan(batch_plan, "auto", 7)  # auto found 32; 7 images a step need 7
    said = capsys.readouterr().out
    assert cfg.data.batch_size == 7 and cfg.trainer.accumulate_grad_batches == 1
    assert "lowered to 7 to divide 7 a process" in said
    cfg, _ = plan(batch_plan, 16, 64, accumulate=4)  # both asked, and they agree
    assert cfg.trainer.accumulate_grad_batches == 4
    with pytest.raises(batch_plan.UserError) as refused:
        plan(batch_plan, 32, 64, 4)
    assert str(refused.value).startswith(
        "trainer.accumulate_grad_batches=4 and scaling.effective_batch_size=64 disagree"
    )
    assert documented(str(refused.value), TRAIN)
    cfg, _ = plan(batch_plan, 32, 64, accumulate=2)  # a saved config: agrees
    assert cfg.trainer.accumulate_grad_batches == 2
    # a config saved on 1 process (2 accumulated), run on 2: recomputed, and said
    capsys.readouterr()
    cfg, _ = plan(batch_plan, 32, 64, accumulate=2, processes=2)
    assert cfg.trainer.accumulate_grad_batches == 1
    said = capsys.readouterr().out
    assert "x 1 accumulated (not 2: that was for another layout) = 64 images" in said


# Refused alike by both twins, in the same words, before any run folder: a count above
# a machine integer (Lightning's islice and torch failed mid-run, paddle took it), and
# an accumulation longer than an epoch (both step at its end: the step was not the one
# printed and recorded).
SAME_REFUSALS = [
    (
        ["data.batch_size=99999999999999999999999"],
        "data.batch_size=99999999999999999999999 is not allowed: must be at most",
    ),
    (
        ["trainer.accumulate_grad_batches=99999999999999999999"],
        "trainer.accumulate_grad_batches=99999999999999999999 is not allowed: must",
    ),
    (
        ["trainer.accumulate_grad_batches=1000000000"],
        "trainer.accumulate_grad_batches=1000000000 is more than the 8 batches an"
        " epoch gives each process: the optimizer would step at the epoch's end",
    ),
    (
        ["data.batch_size=8", "scaling.effective_batch_size=128"],  # 16 accumulated
        "trainer.accumulate_grad_batches=16 is more than the 8 batches an epoch",
    ),
]


@pytest.mark.parametrize("args, expected", SAME_REFUSALS)
def test_both_twins_refuse_what_no_run_can_do_in_one_line(golden_copy, args, expected):
    said = []
    for backend in BACKENDS:
        project = golden_copy(f"{backend}-lenet-digits")
        result = run(["train.py", *SHORT, *args], project)
        assert result.returncode == 2, result.stderr
        said.append(assert_one_documented_line(result.stderr, TRAIN))
        assert said[-1].startswith(expected), said[-1]
        assert "images a step" not in result.stdout  # the plan is not said as if run
        assert not (project / "runs").exists()
    assert said[0] == said[1]


RESUME_SHORT = [*SHORT, "trainer.limit_train_batches=16", "scheduler=step"]
ANOTHER_LAYOUT = {  # how each twin changes its layout on a CPU
    "lightning": ["trainer.devices=2"],  # 2 DDP processes: 32 x 2 x 1
    "paddle": ["data.batch_size=16"],  # one CPU process: 16 x 1 x 4
}


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_held_effective_batch_resumes_and_reruns_on_another_layout(
    golden_copy, backend
):
    """The accumulation scaling.effective_batch_size gave on one layout is saved in
    config.yaml and the checkpoint; a resumed run (ckpt_path=) and a rerun (--config)
    on another layout recompute it, the same 64 images a step, not a refusal."""
    project = golden_copy(f"{backend}-lenet-digits")
    held = ["scaling.effective_batch_size=64", "speed.cudnn_benchmark=true"]
    first = run(["train.py", *RESUME_SHORT, *held], project)
    assert first.returncode == 0, first.stderr
    run_dir = only_run(project)
    assert record_of(run_dir)["scaling"]["accumulate_grad_batches"] == 2
    speed = record_of(run_dir)["speed"]["cudnn_benchmark"]  # a CPU run: never applied
    assert speed["value"] is False and speed["why"].startswith("off: CPU"), speed
    other = ANOTHER_LAYOUT[backend]
    accumulated = {"lightning": 1, "paddle": 4}[backend]
    suffix = {"lightning": "ckpt", "paddle": "pdparams"}[backend]
    last = run_dir / "checkpoints" / f"last.{suffix}"
    # paddle resumes on its one CPU process (its batch, as trained, is kept)
    resume_on = other if backend == "lightning" else []
    resumed = ["train.py", f"ckpt_path={last}", "trainer.max_epochs=2", *resume_on]
    result = run(resumed, project)
    assert result.returncode == 0, result.stderr
    note = " (not 2: that was for another layout)" if backend == "paddle" else ""
    if backend == "lightning":
        recomputed = "x 1 accumulated (not 2: that was for another layout) = 64 images"
        assert recomputed in result.stdout
        assert record_of(run_dir)["scaling"]["processes"] == 2
    else:
        assert "x 2 accumulated = 64 images a step" in result.stdout
    rerun = run(["train.py", "--config", str(run_dir / "config.yaml"), *other], project)
    assert rerun.returncode == 0, rerun.stderr
    # the resumed run rewrote config.yaml as it ran (Lightning: 1 accumulated)
    said = rerun.stdout.split("batch: ")[1].split(";")[0]
    assert said.endswith(f"x {accumulated} accumulated{note} = 64 images a step"), said
