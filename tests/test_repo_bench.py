"""bench.py and trainer=profile in the emitted repo, on both twins (lenet + digits, CPU).

No timing is asserted beyond an order of magnitude: the machine is shared. What is
asserted is the shape of what a user reads: the paths taken in turns, the figures
consistent with each other, the ratio sane, the trace written and the top operations
and the data wait printed.
"""

import json
import re

import pytest

from tests.conftest import run

BACKENDS = ["lightning", "paddle"]
OPERATION = {"lightning": "aten::", "paddle": "conv2d"}  # a name the table must show


@pytest.mark.parametrize("backend", BACKENDS)
def test_bench_takes_the_repo_path_and_the_hand_loop_in_turns(golden_copy, backend):
    project = golden_copy(f"{backend}-lenet-digits")
    args = ["--json", "--rounds", "2", "--warmup", "1", "--steps", "4"]
    done = run(["bench.py", *args, "data.batch_size=16"], project)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    assert [row["path"] for row in result["rounds"]] == ["repo", "hand"] * 2
    assert [row["round"] for row in result["rounds"]] == [1, 1, 2, 2]
    assert (result["model"], result["data"], result["batch_size"]) == (
        "lenet",
        "digits",
        16,
    )
    assert (result["warmup"], result["steps"]) == (1, 4)
    for row in result["rounds"]:  # img/s and ms/step are one measurement
        images_per_step = row["img_per_s"] * row["ms_per_step"] / 1000
        assert images_per_step == pytest.approx(16, rel=0.01)
        assert row["peak_host_mb"] > 50  # a process that imported its framework
        assert row["peak_device_mb"] is None  # CPU: no device memory to report
    assert 0.1 < result["ratio"] < 10  # the same work: within an order of magnitude
    median = result["repo"]["ms_per_step"] / result["hand"]["ms_per_step"]
    assert result["ratio"] == pytest.approx(median, abs=0.001)
    machine = result["machine"]
    assert machine["device"] == "CPU" and machine["cores"] >= 1
    assert re.match(r"\d{4}-\d\d-\d\dT", machine["date"]) and machine["cpu"]
    assert ("torch" if backend == "lightning" else "paddlepaddle") in machine
    assert not (project / "runs").exists()  # the repo path's runs were temporary


def test_bench_prints_a_row_per_round_and_the_ratio(golden_package, capsys):
    table = golden_package("lightning-lenet-digits", "benchmark.table")
    figures = {"peak_host_mb": 900.0, "peak_device_mb": None}
    rounds = [
        {"round": 1, "path": "repo", "img_per_s": 1000.0, "ms_per_step": 32.0},
        {"round": 1, "path": "hand", "img_per_s": 1250.0, "ms_per_step": 25.6},
    ]
    result = golden_package("lightning-lenet-digits", "benchmark.figures").summarise(
        [row | figures for row in rounds],
        {"model": "lenet", "data": "digits", "batch_size": 32, "warmup": 3},
    )
    result |= {"steps": 15, "machine": table.machine("CPU")}
    table.print_table(result)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("bench: lenet on digits, batch 32, 15 steps after 3")
    assert lines[1].startswith("machine: CPU | ") and "load" in lines[1]
    assert lines[-1] == "ratio (repo ms/step / hand ms/step): 1.25"
    assert len([line for line in lines if " repo " in line]) == 2  # round, median


def test_too_few_batches_for_the_steps_is_one_line(golden_package):
    figures = golden_package("paddle-lenet-digits", "benchmark.figures")
    errors = golden_package("paddle-lenet-digits", "errors")
    clock = figures.StepClock(3, 15, sync=lambda: None)
    for _ in range(10):  # an epoch of 10 batches ran out before 3 + 15 steps
        clock.tick()
    with pytest.raises(errors.UserError, match="has 10 batches of 64, fewer than"):
        clock.figures(64, None)


def test_timed_steps_into_a_partial_batch_are_refused(golden_package):
    figures = golden_package("lightning-lenet-digits", "benchmark.figures")
    errors = golden_package("lightning-lenet-digits", "errors")
    clock = figures.StepClock(1, 1, sync=lambda: None)
    clock.need_whole_batches(2000, 1000)  # two whole batches: timed as asked
    with pytest.raises(errors.UserError, match="need 2000 training images, the split"):
        clock.need_whole_batches(1293, 1000)  # the second batch would hold 293


# Each bad form of bench.py's flags, and what its one line says
BAD_FLAGS = [
    (["--rounds", "x"], "bench.py: argument --rounds: invalid int value: 'x'"),
    (["--warmup", "-5"], "--warmup 0 or more"),
    (["--steps", "0"], "--rounds and --steps must be 1 or more"),
    (["--steps"], "bench.py: argument --steps: expected one argument"),
    (["--steps", "1", "data.batch_size=1000"], "the split has 1293"),
    # what the hand loop cannot do alike is said, not replaced or timed unlike
    (["trainer.devices=2"], "bench.py: trainer.devices=2: both paths time one"),
    (["scaling.effective_batch_size=64"], "are not timed: the hand loop steps after"),
    (["ENV:RANK=1"], "RANK=1 is set without WORLD_SIZE"),  # as train.py refuses it
]


@pytest.mark.parametrize("args, expected", BAD_FLAGS)
def test_bad_flags_are_one_line(golden_copy, args, expected):
    project = golden_copy("lightning-lenet-digits")
    env = dict(a[4:].split("=", 1) for a in args if a.startswith("ENV:"))
    args = [a for a in args if not a.startswith("ENV:")]
    flags = ["bench.py", "--rounds", "1", "--warmup", "1"]
    result = run([*flags, *args], project, env=env)
    assert result.returncode == 2, result.stderr
    *warnings, last = result.stderr.splitlines()  # the repo round's data warnings
    assert last.startswith("error: ") and expected in last, result.stderr
    assert all(line.startswith("warning: ") for line in warnings), result.stderr
    assert not (project / "runs").exists()


@pytest.mark.parametrize("backend", BACKENDS)
def test_trainer_profile_writes_a_trace_and_prints_where_time_goes(
    golden_copy, backend
):
    project = golden_copy(f"{backend}-lenet-digits")
    args = ["trainer=profile", "trainer.limit_train_batches=6", "report=false"]
    done = run(["train.py", *args], project)
    assert done.returncode == 0, done.stderr[-3000:]
    (run_dir,) = (project / "runs").iterdir()
    (trace,) = (run_dir / "profile").glob("*.json")
    events = json.loads(trace.read_text())
    events = events["traceEvents"] if isinstance(events, dict) else events
    assert len(events) > 100  # every operation of 4 steps, forward and backward
    out = done.stdout
    assert "top operations by " in out and OPERATION[backend] in out
    wait = re.search(r"data wait: (\d+)% of [\d.]+ s over (\d+) profiled steps", out)
    assert wait and 0 <= int(wait[1]) <= 100
    assert int(wait[2]) == 4  # 6 batches, the first 2 left out as warm-up
    assert f"trace: {trace.relative_to(project)}" in out
