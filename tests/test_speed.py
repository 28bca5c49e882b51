"""Speed settings (speed/ in the emitted package): what `auto` chooses for CPU and GPU
capabilities (a pure function, so GPU cases run here), each setting printed once and
recorded with why on both twins, EMA changing the evaluated weights and not the
trained ones, a bad value refused in one line."""

import json
from pathlib import Path

import pytest

from tests.conftest import run
from tests.messages import TRAIN, assert_one_documented_line
from tests.test_emitted_trains import BACKENDS, metrics_of

SHORT = [
    "trainer.accelerator=cpu",
    "trainer.max_epochs=1",
    "trainer.limit_train_batches=6",
    "trainer.limit_val_batches=2",
    "trainer.limit_test_batches=2",
    "trainer.enable_progress_bar=false",
    "report=false",
    "loggers=[csv]",
]
SETTINGS = {
    "precision",
    "compile",
    "channels_last",
    "cudnn_benchmark",
    "tf32",
    "fused_optimizer",
    "ema",
}
ASKED_AUTO = {
    "precision": "auto",
    "compile": "auto",
    "channels_last": "auto",
    "cudnn_benchmark": "auto",
    "tf32": "auto",
    "fused_optimizer": "auto",
    "ema": None,
}
RESNET18, LENET = 11_200_000, 62_000  # trainable parameters
# (backend, gpu, bf16, tensor cores, steps, parameters) -> what auto turns on
TABLE = [
    (("lightning", False, False, False, 5000, RESNET18), set()),
    (
        ("lightning", True, True, True, 2000, RESNET18),
        {"compile", "channels_last", "cudnn_benchmark", "tf32", "fused_optimizer"},
    ),
    (  # a short run: compiling would not repay its minute
        ("lightning", True, True, True, 1000, RESNET18),
        {"channels_last", "cudnn_benchmark", "tf32", "fused_optimizer"},
    ),
    (  # a small model never repays it
        ("lightning", True, True, True, 100_000, LENET),
        {"channels_last", "cudnn_benchmark", "tf32", "fused_optimizer"},
    ),
    (  # Volta/Turing: tensor cores, no TF32 or bf16
        ("lightning", True, False, True, 2000, RESNET18),
        {"compile", "channels_last", "cudnn_benchmark", "fused_optimizer"},
    ),
    (  # Pascal: neither
        ("lightning", True, False, False, 100, RESNET18),
        {"cudnn_benchmark", "fused_optimizer"},
    ),
    (("paddle", True, True, True, 2000, RESNET18), {"compile", "cudnn_benchmark"}),
    (("paddle", False, False, False, 5000, RESNET18), set()),
]


@pytest.fixture(scope="module")
def choices(golden_package):
    return golden_package("lightning-lenet-digits", "speed.choices")


@pytest.mark.parametrize(("capability", "on"), TABLE)
def test_auto_turns_on_what_the_capability_repays(choices, capability, on):
    cap = choices.Capability(*capability)
    precision = "bf16-mixed" if cap.bf16 else "16-mixed" if cap.gpu else "32-true"
    chosen = choices.choose(ASKED_AUTO, precision, cap)
    assert set(chosen) == SETTINGS
    switches = {name for name in choices.SWITCHES if chosen[name]["value"]}
    assert switches == on
    for name in choices.SWITCHES:
        why = chosen[name]["why"]
        if cap.backend == "paddle" and name in choices.PADDLE_LACKS:
            assert why.startswith("not available on paddle: "), why
        else:
            assert why.startswith("auto: on" if name in on else "auto: off"), why
    assert chosen["precision"] == {
        "value": precision,
        "why": (
            "auto: a GPU with bf16"
            if cap.bf16
            else "auto: a GPU without bf16" if cap.gpu else "auto: CPU trains in fp32"
        ),
    }


def test_set_values_win_over_auto_and_paddle_says_what_it_lacks(choices):
    cpu = choices.Capability("lightning", False, False, False, 10, LENET)
    asked = ASKED_AUTO | {"compile": True, "cudnn_benchmark": False, "ema": 0.999}
    chosen = choices.choose(asked | {"precision": "bf16-mixed"}, "bf16-mixed", cpu)
    assert chosen["compile"] == {"value": True, "why": "set: trainer.compile=true"}
    assert chosen["cudnn_benchmark"]["why"] == "set: speed.cudnn_benchmark=false"
    assert chosen["ema"] == {"value": 0.999, "why": "set: speed.ema=0.999"}
    assert chosen["precision"]["why"] == "set: trainer.precision=bf16-mixed"
    paddle = choices.Capability("paddle", True, True, True, 10, LENET)
    lacking = choices.choose(ASKED_AUTO | {"channels_last": True}, "bf16-mixed", paddle)
    assert lacking["channels_last"]["value"] is False  # asked, but paddle cannot
    assert lacking["channels_last"]["why"].startswith("not available on paddle: ")
    for backend in ("lightning", "paddle"):  # a GPU's switch asked on a CPU: off
        cap = choices.Capability(backend, False, False, False, 10, LENET)
        cudnn = choices.choose(ASKED_AUTO | {"cudnn_benchmark": True}, "32-true", cap)
        assert cudnn["cudnn_benchmark"]["value"] is False  # paddle's flag: a crash
        assert cudnn["cudnn_benchmark"]["why"].startswith("off: CPU (cuDNN is a GPU")
    line = choices.one_line(chosen)
    assert line.startswith("speed: precision bf16-mixed, compile on, ")
    assert "ema 0.999" in line and "\n" not in line


@pytest.mark.parametrize(
    ("limit", "max_epochs", "max_steps", "accumulate", "steps"),
    [
        (1.0, 3, -1, 1, 3 * 41),
        (0.5, 2, -1, 1, 2 * 20),
        (5, 2, 7, 1, 7),
        (8, -1, -1, 3, 3000),
    ],
)
def test_steps_follow_the_trainer_limits(
    choices, limit, max_epochs, max_steps, accumulate, steps
):
    trainer = type("Trainer", (), {})()
    trainer.limit_train_batches, trainer.max_epochs = limit, max_epochs
    trainer.max_steps, trainer.accumulate_grad_batches = max_steps, accumulate
    assert choices.optimizer_steps(trainer, 1293, 32, 1) == steps  # 41 batches


def speed_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("speed: ")]


def record_and_metrics(project: Path, folder: str) -> tuple[dict, dict]:
    (run_dir,) = (project / folder).iterdir()
    return json.loads((run_dir / "record.json").read_text()), metrics_of(run_dir)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_run_prints_and_records_each_setting_and_ema_changes_what_is_evaluated(
    golden_copy, backend
):
    project = golden_copy(f"{backend}-lenet-digits")
    plain = run(["train.py", *SHORT, "output_dir=plain"], project)
    assert plain.returncode == 0, plain.stderr[-3000:]
    averaged = run(["train.py", *SHORT, "output_dir=ema", "speed.ema=0.6"], project)
    assert averaged.returncode == 0, averaged.stderr[-3000:]
    (line,) = speed_lines(plain.stdout)
    assert line.startswith("speed: precision 32-true, compile off, channels_last off")
    record, metrics = record_and_metrics(project, "plain")
    assert set(record["speed"]) == SETTINGS
    assert record["speed"]["compile"] == {"value": False, "why": "auto: off, CPU"}
    assert record["speed"]["ema"] == {"value": None, "why": "off: speed.ema=null"}
    lacks = "not available on paddle: "
    assert record["speed"]["tf32"]["why"].startswith(
        lacks if backend == "paddle" else "auto: off, CPU"
    )
    assert "batch_size" in json.dumps(record["scaling"])  # still beside it
    (line,) = speed_lines(averaged.stdout)
    assert line.endswith('ema 0.6 (why: record.json "speed")')
    record, ema_metrics = record_and_metrics(project, "ema")
    assert record["speed"]["ema"] == {"value": 0.6, "why": "set: speed.ema=0.6"}
    # the same raw weights were trained (same seed, one CPU process) ...
    assert ema_metrics["train/loss"] == pytest.approx(metrics["train/loss"], rel=1e-6)
    # ... but validation, and test from the best checkpoint, saw the average
    assert ema_metrics["val/loss"] != pytest.approx(metrics["val/loss"], rel=1e-4)
    assert ema_metrics["test/loss"] != pytest.approx(metrics["test/loss"], rel=1e-4)


def test_a_bad_speed_value_is_refused_in_one_line(golden_copy):
    project = golden_copy("paddle-lenet-digits")
    refused = run(["train.py", *SHORT, "speed.ema=1.5"], project)
    assert refused.returncode == 2
    message = assert_one_documented_line(refused.stderr, TRAIN)  # troubleshooting.md
    assert message == (
        "speed.ema=1.5 is not allowed: must be above 0 and below 1 (e.g. 0.999),"
        " or null: off"
    )
    assert not (project / "runs").exists()
